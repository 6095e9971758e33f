//! `--output FILE`: the report written to a file next to it and renamed into place when complete,
//! so a reader (a mail job, a web server) never sees half a report and a failed run leaves the old one.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// A file being written; `commit` puts it in place, dropping it unfinished removes it.
pub struct AtomicFile {
    path: PathBuf,
    temp: PathBuf,
    file: Option<BufWriter<File>>,
}

fn output_error(path: &Path, source: std::io::Error) -> Error {
    Error::OutputFile {
        path: path.display().to_string(),
        source,
    }
}

impl AtomicFile {
    /// Starts writing `path` (through a hidden file beside it, in the same directory so the
    /// rename is atomic).
    pub fn create(path: &Path) -> Result<AtomicFile, Error> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.is_empty() || path.is_dir() {
            return Err(output_error(
                path,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
            ));
        }
        let temp = dir.join(format!(".{name}.authlogs-{}.tmp", std::process::id()));
        let file = File::create(&temp).map_err(|e| output_error(path, e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            temp,
            file: Some(BufWriter::new(file)),
        })
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> Result<(), Error> {
        let Some(file) = self.file.take() else {
            return Ok(());
        };
        let file = file
            .into_inner()
            .map_err(|e| output_error(&self.path, e.into_error()))?;
        file.sync_all().map_err(|e| output_error(&self.path, e))?;
        drop(file);
        std::fs::rename(&self.temp, &self.path).map_err(|e| output_error(&self.path, e))
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
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
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
}
