//! Tests of range reads: the ranges of a file, whatever their size, give each of its events once, in order.

use crate::source::file::read_path;
use crate::source::InputFormat;
use crate::source::ReadOptions;
use crate::testutil::{read_planned, TestSink};

#[test]
fn ranges_of_a_file_yield_each_event_once_in_order() {
    let mut data = b"\xEF\xBB\xBFstray line before any header\r\n\n".to_vec();
    for i in 0..40 {
        let ts = format!("2025-07-11T06:05:{:02}.{:03}Z", i % 60, i);
        match i % 8 {
            0 => data.extend(format!("{ts} START RequestId: r{i} Version: $LATEST\n\n").bytes()),
            1 => {
                data.extend(format!("{ts} Traceback (most recent call last):\n  File \"x.py\", line {i}\n\n\n").bytes())
            }
            2 => data.extend(format!("{ts} crlf message {i}\r\n\r\n").bytes()),
            3 => {
                data.extend(format!("{ts} not UTF-8 ").bytes());
                data.extend(b"\xFF\xFE here\n");
            }
            4 => data.extend(
                format!("{ts} continuation that looks like a stamp\n2025-07-11T06:05:00.000Z+no-space\n").bytes(),
            ),
            5 => data.extend(format!("{ts} {}\n", "long ".repeat(60)).bytes()),
            6 => data.extend(format!("{ts} \n").bytes()),
            _ => data.extend(format!("{ts} REPORT RequestId: r{i}\tDuration: 1.00 ms\n\n").bytes()),
        }
    }
    data.extend(b"2025-07-11T06:06:00.000Z last event, no newline at the end");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.log");
    std::fs::write(&path, &data).unwrap();
    let mut whole = TestSink::default();
    read_path(&path, ReadOptions::new(InputFormat::Auto), &mut whole).unwrap();
    assert_eq!(whole.events.len(), 42);
    assert_eq!(whole.invalid, 5);
    for range_bytes in [1, 2, 3, 5, 17, 64, 199, 1000, 4096, 1 << 20] {
        let (ranged, units) = read_planned(&path, InputFormat::Auto, range_bytes);
        assert_eq!(
            units as u64,
            (data.len() as u64).div_ceil(range_bytes).max(1),
            "{range_bytes}"
        );
        assert_eq!(ranged.events, whole.events, "range {range_bytes}");
        assert_eq!(ranged.invalid, whole.invalid, "range {range_bytes}");
    }
}
