//! `--output FILE`: a regular file is written beside its target and renamed into place when complete
//! (a reader never sees half a report, a failed run leaves the old one); a symlink is followed, and a
//! device, FIFO or socket is written directly, since replacing it would destroy it.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The most symlinks followed to the target, as the kernel's own limit (ELOOP after 40).
const MAX_LINKS: usize = 40;

/// Where the report goes: `Some(temp)` is renamed over the target on commit; `None` writes the
/// target itself (a device or FIFO, which a rename would replace with a regular file).
pub struct AtomicFile {
    /// The path as the user gave it, for messages.
    path: PathBuf,
    /// The file the path resolves to (through every symlink).
    target: PathBuf,
    temp: Option<PathBuf>,
    file: Option<BufWriter<File>>,
}

fn output_error(path: &Path, source: std::io::Error) -> Error {
    Error::OutputFile {
        path: path.display().to_string(),
        source,
    }
}

/// Follows `path` through its symlinks (a dangling one too: its target is created) to a path that
/// is not a symlink, so the link stays a link and its target is what gets written.
fn resolve(path: &Path) -> Result<PathBuf, std::io::Error> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&at)?;
                // A relative link is relative to the directory holding it.
                at = match at.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

impl AtomicFile {
    /// Starts writing `path`: a regular file (or a new one) through a hidden file beside its
    /// target, in the same directory so the rename is atomic; anything else that is not a
    /// directory (a device, a FIFO) is opened and written in place.
    pub fn create(path: &Path) -> Result<AtomicFile, Error> {
        let not_a_file = || {
            output_error(
                path,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
            )
        };
        let target = resolve(path).map_err(|e| output_error(path, e))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.is_empty() {
            return Err(not_a_file());
        }
        match fs::metadata(&target) {
            Ok(meta) if meta.is_dir() => return Err(not_a_file()),
            Ok(meta) if !meta.is_file() => {
                // No truncate: a device ignores it and a FIFO has nothing to cut.
                let file = OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .map_err(|e| output_error(path, e))?;
                return Ok(AtomicFile {
                    path: path.to_path_buf(),
                    target,
                    temp: None,
                    file: Some(BufWriter::new(file)),
                });
            }
            _ => {}
        }
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let temp = dir.join(format!(".{name}.authlogs-{}.tmp", std::process::id()));
        let file = File::create(&temp).map_err(|e| output_error(path, e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            target,
            temp: Some(temp),
            file: Some(BufWriter::new(file)),
        })
    }

    /// Flushes; a file written beside its target is synced and renamed into place.
    pub fn commit(mut self) -> Result<(), Error> {
        let Some(file) = self.file.take() else {
            return Ok(());
        };
        let file = file
            .into_inner()
            .map_err(|e| output_error(&self.path, e.into_error()))?;
        let Some(temp) = self.temp.take() else {
            // A device or FIFO: the bytes are written; fsync means nothing there (EINVAL on some).
            return Ok(());
        };
        let synced = file.sync_all();
        drop(file);
        let renamed = synced.and_then(|()| fs::rename(&temp, &self.target));
        if let Err(e) = renamed {
            let _ = fs::remove_file(&temp);
            return Err(output_error(&self.path, e));
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(std::io::Error::other("already committed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Unfinished: the temp file goes (a device or FIFO has had what was written).
        if self.file.take().is_some() {
            if let Some(temp) = &self.temp {
                let _ = fs::remove_file(temp);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_appears_whole_on_commit_and_not_at_all_otherwise() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("report.html");
        std::fs::write(&path, "old").expect("write");
        {
            let mut f = AtomicFile::create(&path).expect("create");
            f.write_all(b"new, half").expect("write");
            // Dropped without commit: the old file stays, no temp file is left.
        }
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "old");
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
        let mut f = AtomicFile::create(&path).expect("create");
        f.write_all(b"new").expect("write");
        f.commit().expect("commit");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
        let missing = AtomicFile::create(&dir.path().join("no/such/dir/x.html"));
        let e = missing.err().expect("an error").to_string();
        assert!(e.contains("no/such/dir/x.html") && e.contains("writable"), "{e}");
    }

    fn write_report(path: &Path, text: &str) {
        let mut f = AtomicFile::create(path).expect("create");
        f.write_all(text.as_bytes()).expect("write");
        f.commit().expect("commit");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_followed_and_stays_a_link() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("real.json");
        std::fs::write(&target, "old").expect("write");
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("real.json", &link).expect("symlink");
        write_report(&link, "new");
        assert!(std::fs::symlink_metadata(&link).expect("meta").file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "new");
        // A dangling link: its target is created, the link kept.
        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink(dir.path().join("later.json"), &dangling).expect("symlink");
        write_report(&dangling, "made");
        assert!(std::fs::symlink_metadata(&dangling)
            .expect("meta")
            .file_type()
            .is_symlink());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("later.json")).expect("read"),
            "made"
        );
        // No temp file left beside either.
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 4);
    }

    #[cfg(unix)]
    #[test]
    fn dev_null_stays_a_device() {
        use std::os::unix::fs::FileTypeExt;
        let null = Path::new("/dev/null");
        if !std::fs::metadata(null).is_ok_and(|m| m.file_type().is_char_device()) {
            return;
        }
        write_report(null, "nothing");
        assert!(std::fs::metadata(null).expect("meta").file_type().is_char_device());
        // A write that fails on the device is an error, not a silent success.
        let full = Path::new("/dev/full");
        if std::fs::metadata(full).is_ok_and(|m| m.file_type().is_char_device()) {
            let mut f = AtomicFile::create(full).expect("create");
            let _ = f.write_all(b"x");
            assert!(f.commit().is_err());
            assert!(std::fs::metadata(full).expect("meta").file_type().is_char_device());
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_gets_the_bytes_and_stays_a_fifo() {
        use std::io::Read;
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return;
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut text = String::new();
                std::fs::File::open(fifo)
                    .expect("open")
                    .read_to_string(&mut text)
                    .expect("read");
                text
            })
        };
        write_report(&fifo, "through the pipe");
        assert_eq!(reader.join().expect("reader"), "through the pipe");
        assert!(std::fs::metadata(&fifo).expect("meta").file_type().is_fifo());
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
    }
}
