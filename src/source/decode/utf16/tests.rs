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

/// `text` as UTF-16 with a BOM, in either byte order.
fn utf16(units: &[u16], little: bool) -> Vec<u8> {
    let mut data = if little { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
    for u in units {
        data.extend(if little { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    data
}

#[test]
fn damaged_utf16_is_an_input_error_with_its_byte() {
    let text: Vec<u16> = "START RequestId: x Version: 1\nEND RequestId: x\n"
        .encode_utf16()
        .collect();
    for little in [true, false] {
        let whole = read(&utf16(&text, little), InputFormat::Bare);
        assert!(whole.errors.is_empty(), "{:?}", whole.errors);
        // A lone surrogate in the 6th unit: the 5th byte after the 2-byte BOM is unit 0.
        let mut lone = text.clone();
        lone[5] = 0xD800;
        // An odd byte at the end: a cut file.
        let mut odd = utf16(&text, little);
        odd.push(b'x');
        let mut low = text.clone();
        low[7] = 0xDC00;
        for (what, data, at) in [
            ("lone high", utf16(&lone, little), 2 + 5 * 2),
            ("lone low", utf16(&low, little), 2 + 7 * 2),
            ("odd byte", odd, 2 + text.len() * 2),
        ] {
            for input in [data.clone(), gzip(&data)] {
                let s = read(&input, InputFormat::Auto);
                assert_eq!(s.errors.len(), 1, "{what}: {:?}", s.errors);
                assert_eq!(s.errors[0].position, format!("byte {at} of UTF-16 input"), "{what}");
                // The rest is read: every line, and an odd byte at the end is one more, of U+FFFD.
                let extra = usize::from(what == "odd byte");
                assert_eq!(s.events.len(), whole.events.len() + extra, "{what}: {:?}", s.events);
                assert_eq!(s.events[1], whole.events[1], "{what}");
            }
        }
    }
}
