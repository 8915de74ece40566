//! Bounded reads: the one way octa reads a whole file.
//!
//! - Only regular files are read. The file is opened without blocking (`O_NONBLOCK`, so a FIFO
//!   does not hang the open) and its type is taken from the opened file: a FIFO, device or socket
//!   is refused at once, naming what it is. Symbolic links are followed, so a link to
//!   `/dev/zero` is refused as a device.
//! - The size is taken from the opened file's metadata and checked against the largest size that
//!   kind of file can have ([`Limit`]) before one byte is read; the read itself stops one byte past
//!   the limit, so a file growing while it is read is refused too.
//!
//! Errors are `std::io::Error`s (kind `InvalidInput` for a file that is not regular,
//! `FileTooLarge` for one too large) whose message says what was found, so every layer can wrap
//! them with the file's path as it already does for I/O errors.

use super::anyfile::Kind;
use super::error::{ProjectError, Result};
use crate::format::common::FileKind;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The largest size a kind of file can have, and its name for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Largest accepted size in bytes.
    pub max: u64,
    /// What kind of file this is ("bank file").
    pub what: &'static str,
    /// The kind has exactly `max` bytes (the binary formats), rather than at most: messages say
    /// so. (A shorter file is still read; its parser reports the size.)
    pub exact: bool,
}

/// Largest `project.work` / `.strd`: 264 sample blocks of a few hundred bytes each plus the
/// settings are well under 200 KB; 1 MiB leaves room for long paths and other tools' extra keys.
pub const PROJECT_FILE_MAX: u64 = 1 << 20;

/// Any file the device's FAT32 card can hold (4 GiB - 1): samples, zips of sets.
pub const ANY: Limit = Limit {
    max: u32::MAX as u64,
    what: "file on an Octatrack card (FAT32)",
    exact: false,
};

/// A project exported as JSON (`octa export`): a bank's JSON is a few MB, a project's 26 files
/// well under 100 MB.
pub const PROJECT_JSON: Limit = Limit {
    max: 256 << 20,
    what: "project JSON document",
    exact: false,
};

/// A `.syx` or `.mid` file for the librarian (the largest bank dumps are a few hundred KB).
pub const SYSEX_FILE: Limit = Limit {
    max: 64 << 20,
    what: "sysex or MIDI file",
    exact: false,
};

impl Limit {
    /// The limit for an Octatrack file kind: the binary formats' exact sizes (format doc §4-§7),
    /// [`PROJECT_FILE_MAX`] for the text project file.
    pub fn for_kind(kind: Kind) -> Limit {
        let binary = |k: FileKind| Limit {
            max: k.size() as u64,
            what: k.describe(),
            exact: true,
        };
        match kind {
            Kind::Project => Limit {
                max: PROJECT_FILE_MAX,
                what: "project file",
                exact: false,
            },
            Kind::Bank => binary(FileKind::Bank),
            Kind::Markers => binary(FileKind::Markers),
            Kind::Arrangement => binary(FileKind::Arrangement),
            Kind::SampleSettings => binary(FileKind::SampleSettings),
        }
    }
}

/// What a non-regular file is, for messages.
fn describe_type(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        return "a folder";
    }
    "not a regular file"
}

/// Opens a regular file for reading without blocking on FIFOs; returns it with its size.
/// A FIFO, device, socket or folder is an `InvalidInput` error naming what it is.
pub fn open_regular(path: &Path) -> io::Result<(File, u64)> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path)?;
    let meta = file.metadata()?;
    let ft = meta.file_type();
    if !ft.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "expected a regular file, found {}; not read",
                describe_type(&ft)
            ),
        ));
    }
    Ok((file, meta.len()))
}

impl Limit {
    /// `a bank file of 636113 bytes` / `a project file of at most 1048576 bytes`.
    pub fn expected(&self) -> String {
        let at_most = if self.exact { "" } else { "at most " };
        format!("a {} of {at_most}{} bytes", self.what, self.max)
    }
}

fn too_large(found: u64, limit: Limit) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!(
            "expected {}, found {found} bytes; not read",
            limit.expected()
        ),
    )
}

/// Reads a whole regular file of at most `limit.max` bytes (see the module doc).
pub fn read_limited(path: &Path, limit: Limit) -> io::Result<Vec<u8>> {
    let (file, len) = open_regular(path)?;
    if len > limit.max {
        return Err(too_large(len, limit));
    }
    let mut data = Vec::with_capacity(len as usize);
    file.take(limit.max + 1).read_to_end(&mut data)?;
    if data.len() as u64 > limit.max {
        return Err(too_large(data.len() as u64, limit));
    }
    Ok(data)
}

/// [`read_limited`] with the error naming the file.
pub fn read(path: &Path, limit: Limit) -> Result<Vec<u8>> {
    read_limited(path, limit).map_err(|e| ProjectError::io(path, e))
}

/// [`read`], `Ok(None)` when the file does not exist.
pub fn read_optional(path: &Path, limit: Limit) -> Result<Option<Vec<u8>>> {
    match read_limited(path, limit) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ProjectError::io(path, e)),
    }
}

/// Reads an Octatrack file of a known kind, bounded by that kind's [`Limit`].
pub fn read_kind(path: &Path, kind: Kind) -> Result<Vec<u8>> {
    read(path, Limit::for_kind(kind))
}

/// [`store::Fingerprint::of`](super::store::Fingerprint::of) the file's bytes, computed while
/// reading it in blocks (a zip is not held in memory to fingerprint it). Regular files only.
pub fn fingerprint_file(path: &Path) -> Result<super::store::Fingerprint> {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let io = |e| ProjectError::io(path, e);
    let (mut file, len) = open_regular(path).map_err(io)?;
    if len > ANY.max {
        return Err(io(too_large(len, ANY)));
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ len;
    let mut buf = vec![0u8; 1 << 16];
    let mut total: u64 = 0;
    loop {
        // fill the buffer (a multiple of 8) unless the file ends
        let mut n = 0;
        while n < buf.len() {
            match file.read(&mut buf[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io(e)),
            }
        }
        total += n as u64;
        let mut words = buf[..n].chunks_exact(8);
        for c in &mut words {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in words.remainder() {
            h = (h.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
        if n < buf.len() {
            break;
        }
    }
    if total != len {
        return Err(io(io::Error::other(format!(
            "changed while being read ({len} bytes, then {total})"
        ))));
    }
    Ok(super::store::Fingerprint {
        len,
        hash: h ^ (h >> 29),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_fingerprint_is_the_bytes_fingerprint() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.zip");
        for len in [0usize, 1, 7, 8, 9, 65_535, 65_536, 65_537, 200_003] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            std::fs::write(&p, &bytes).unwrap();
            assert_eq!(
                fingerprint_file(&p).unwrap(),
                crate::project::store::Fingerprint::of(&bytes),
                "{len}"
            );
        }
    }

    #[test]
    fn limits_are_the_format_sizes() {
        // sizes written independently from the format doc (§4 bank, §5 markers, §6 arr, §7 .ot)
        assert_eq!(Limit::for_kind(Kind::Bank).max, 636_113);
        assert_eq!(Limit::for_kind(Kind::Markers).max, 207_000);
        assert_eq!(Limit::for_kind(Kind::Arrangement).max, 11_336);
        assert_eq!(Limit::for_kind(Kind::SampleSettings).max, 832);
        assert_eq!(Limit::for_kind(Kind::Project).max, 1_048_576);
    }

    #[test]
    fn oversized_file_is_refused_before_reading() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("bank08.work");
        let f = File::create(&p).unwrap();
        f.set_len(636_114).unwrap();
        let e = read_kind(&p, Kind::Bank).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "{}: expected a bank file of 636113 bytes, found 636114 bytes; not read",
                p.display()
            )
        );
        f.set_len(636_113).unwrap();
        assert_eq!(read_kind(&p, Kind::Bank).unwrap().len(), 636_113);
    }

    #[cfg(unix)]
    #[test]
    #[allow(unsafe_code, reason = "the test makes a FIFO with mkfifo")]
    fn devices_folders_and_fifos_are_refused() {
        let d = tempfile::tempdir().unwrap();
        let link = d.path().join("bank01.work");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let e = read_kind(&link, Kind::Bank).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "{}: expected a regular file, found a character device; not read",
                link.display()
            )
        );
        let fifo = d.path().join("markers.work");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_optional(&fifo, ANY).unwrap_err().to_string();
        assert!(e.starts_with(&format!("{}: ", fifo.display())), "{e}");
        assert!(e.contains("found a FIFO (named pipe)"), "{e}");
        let e = read(d.path(), ANY).unwrap_err().to_string();
        assert!(e.contains("found a folder"), "{e}");
        assert_eq!(read_optional(&d.path().join("absent"), ANY).unwrap(), None);
    }
}
