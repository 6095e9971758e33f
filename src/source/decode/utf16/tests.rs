//! Tests of UTF-16 inputs: both byte orders, plain and gzipped.

use crate::source::InputFormat;
use crate::testutil::{gzip, read, SEED};

#[test]
fn utf16_with_bom() {
    let text = format!("{SEED}😀 END RequestId: x\r\n");
    for little in [true, false] {
        let mut data = if little { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for u in text.encode_utf16() {
            data.extend(if little { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        let s = read(&data, InputFormat::Auto);
        let mut expected = read(SEED.as_bytes(), InputFormat::Console).events;
        expected.last_mut().unwrap().2.push_str("\n    \n😀 END RequestId: x");
        assert_eq!(s.events, expected);
        let s = read(&gzip(&data), InputFormat::Console);
        assert_eq!(s.events, expected);
    }
}
