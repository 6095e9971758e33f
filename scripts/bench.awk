# The baseline authlogs is measured against: the one-pass script a user would write by hand.
# Reads CloudWatch export lines of the seed authorizer and counts decisions, denial reasons,
# cold starts and total duration, joining lines by request id (fields split on spaces and tabs).
$2 == "[INFO]" && $5 == "[INFO]" {
    id = $4
    if ($6 == "Source") ip[id] = $8
    else if ($6 == "Token:") tok[id] = $7
    else if ($6 == "Allowed" && $7 == "IP:") aip[id] = $8
    else if ($6 == "Allowed" && $7 == "Token:") atok[id] = $8
    next
}
$2 == "[ERROR]" && $5 == "[ERROR]" {
    if (index($6, "IP") == 1) ipmm[$4] = 1
    else tokmm[$4] = 1
    next
}
$2 == "REPORT" {
    id = $4
    invocations++
    duration += $6
    if (index($0, "Init Duration")) cold++
    if (index($0, "Status: timeout")) timeout++
    else {
        i = (id in ipmm) || (ip[id] != aip[id])
        t = (id in tokmm) || (tok[id] != atok[id])
        if (i || t) {
            denied++
            if (i) ip_mismatch++
            if (t) token_mismatch++
            if (i && t) both++
            if (t && (tok[id] == "None" || tok[id] == "")) token_missing++
        } else allowed++
    }
    delete ip[id]; delete tok[id]; delete aip[id]; delete atok[id]; delete ipmm[id]; delete tokmm[id]
}
END {
    printf "invocations=%d allowed=%d denied=%d timeout=%d ip_mismatch=%d token_mismatch=%d both=%d token_missing=%d cold=%d\n",
        invocations, allowed, denied, timeout, ip_mismatch, token_mismatch, both, token_missing, cold
}
