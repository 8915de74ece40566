//! What a folder lives on: free space (`statvfs`) and the kind of device (a card in a reader,
//! a USB drive, the Octatrack itself in USB disk mode, a local disk), read from the mount table
//! and `/sys/block`.

use serde::Serialize;
use std::path::{Path, PathBuf};

/// The kind of device a folder is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviceKind {
    /// The Octatrack in USB disk mode (its USB vendor or model names Elektron / Octatrack).
    Octatrack,
    /// A memory card in a card reader (`mmcblk`, or a removable disk behind a USB card reader).
    Card,
    /// A removable USB drive.
    Usb,
    /// A local (fixed) disk.
    Local,
    /// A network or virtual file system, or one that could not be told.
    Other,
}

impl DeviceKind {
    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            DeviceKind::Octatrack => "Octatrack (USB disk mode)",
            DeviceKind::Card => "card",
            DeviceKind::Usb => "USB drive",
            DeviceKind::Local => "local folder",
            DeviceKind::Other => "other",
        }
    }
}

/// Bytes free for an unprivileged writer on the file system holding `path`.
#[allow(unsafe_code, reason = "statvfs has no std wrapper")]
pub fn free_bytes(path: &Path) -> std::io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "NUL in a path"))?;
    // SAFETY: an all-zero statvfs is a valid value for this plain C struct (out-parameter).
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a NUL-terminated path living across the call; `st` is a valid out-pointer.
    let r = unsafe { libc::statvfs(c.as_ptr(), &mut st) };
    if r != 0 {
        return Err(std::io::Error::last_os_error());
    }
    #[allow(
        clippy::unnecessary_cast,
        reason = "the field types differ between targets"
    )]
    Ok(st.f_bavail as u64 * st.f_frsize as u64)
}

/// One line of `/proc/self/mounts`.
#[derive(Debug, Clone)]
struct Mount {
    source: String,
    point: PathBuf,
    fstype: String,
}

fn unescape(s: &str) -> String {
    // The mount table writes space, tab, newline and backslash as \040 \011 \012 \134.
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && let Some(v) = s
                .get(i + 1..i + 4)
                .and_then(|o| u8::from_str_radix(o, 8).ok())
        {
            out.push(v);
            i += 4;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn mounts() -> Vec<Mount> {
    let Ok(bytes) = crate::project::read::read_limited(
        Path::new("/proc/self/mounts"),
        crate::project::read::Limit {
            max: 4 << 20,
            ..crate::project::read::ANY
        },
    ) else {
        return Vec::new();
    };
    String::from_utf8_lossy(&bytes)
        .lines()
        .filter_map(|l| {
            let mut f = l.split(' ');
            let source = unescape(f.next()?);
            let point = PathBuf::from(unescape(f.next()?));
            let fstype = f.next()?.to_string();
            Some(Mount {
                source,
                point,
                fstype,
            })
        })
        .collect()
}

/// Mount points under `/media`, `/run/media` and `/mnt` (where desktops mount cards and drives).
pub fn removable_mounts() -> Vec<PathBuf> {
    mounts()
        .into_iter()
        .map(|m| m.point)
        .filter(|p| p.starts_with("/media") || p.starts_with("/run/media") || p.starts_with("/mnt"))
        .collect()
}

fn read_small(p: &Path) -> Option<String> {
    crate::project::read::read_limited(
        p,
        crate::project::read::Limit {
            max: 4096,
            ..crate::project::read::ANY
        },
    )
    .ok()
    .map(|b| String::from_utf8_lossy(&b).trim().to_string())
}

/// The kind of device `path` is on.
pub fn device_kind(path: &Path) -> DeviceKind {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let Some(m) = mounts()
        .into_iter()
        .filter(|m| path.starts_with(&m.point))
        .max_by_key(|m| m.point.as_os_str().len())
    else {
        return DeviceKind::Other;
    };
    let Some(dev) = m.source.strip_prefix("/dev/") else {
        return DeviceKind::Other;
    };
    let dev = Path::new("/dev")
        .join(dev)
        .canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| dev.to_string());
    // The whole disk of a partition: /sys/class/block/sdb1 -> .../sdb/sdb1.
    let class = Path::new("/sys/class/block").join(&dev);
    let Ok(real) = class.canonicalize() else {
        return DeviceKind::Other;
    };
    let disk = if real.join("partition").exists() {
        real.parent().map(Path::to_path_buf).unwrap_or(real.clone())
    } else {
        real.clone()
    };
    let name = disk
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = |f: &str| read_small(&disk.join(f)).unwrap_or_default();
    let ident = format!("{} {}", text("device/vendor"), text("device/model")).to_lowercase();
    if ident.contains("elektron") || ident.contains("octatrack") {
        return DeviceKind::Octatrack;
    }
    if name.starts_with("mmcblk") {
        return DeviceKind::Card;
    }
    let removable = text("removable") == "1";
    let usb = disk.to_string_lossy().contains("/usb");
    let reader = ident.contains("card") || ident.contains("reader") || ident.contains("cf");
    match (removable, usb) {
        (true, _) if reader => DeviceKind::Card,
        (true, true) | (false, true) => {
            if reader {
                DeviceKind::Card
            } else {
                DeviceKind::Usb
            }
        }
        (true, false) => DeviceKind::Card,
        (false, false) if matches!(m.fstype.as_str(), "nfs" | "nfs4" | "cifs" | "fuse.sshfs") => {
            DeviceKind::Other
        }
        (false, false) => DeviceKind::Local,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_table_escapes() {
        assert_eq!(unescape("/media/me/OT\\040CARD"), "/media/me/OT CARD");
        assert_eq!(unescape("plain"), "plain");
        assert_eq!(unescape("a\\134b"), "a\\b");
    }

    #[test]
    fn free_space_of_a_temp_dir_is_known() {
        let d = tempfile::tempdir().unwrap();
        assert!(free_bytes(d.path()).is_ok());
        assert!(free_bytes(&d.path().join("absent")).is_err());
    }
}
