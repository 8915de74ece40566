//! Raw bytes as lowercase hex strings in JSON (serde `with` helpers).

use serde::{Deserialize, Deserializer, Serializer};

/// Bytes to a lowercase hex string.
pub fn encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A hex string (upper or lower case) to bytes.
pub fn decode(s: &str) -> Result<Vec<u8>, String> {
    if !s.len().is_multiple_of(2) {
        return Err(format!("hex string of odd length {}", s.len()));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| {
            s.get(i..i + 2)
                .and_then(|p| u8::from_str_radix(p, 16).ok())
                .ok_or_else(|| format!("invalid hex at character {i}"))
        })
        .collect()
}

/// Serialize a byte buffer as hex.
pub fn serialize<S: Serializer, T: AsRef<[u8]>>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&encode(v.as_ref()))
}

/// Deserialize a byte buffer from hex.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let s = String::deserialize(d)?;
    decode(&s).map_err(serde::de::Error::custom)
}

/// `Option<Vec<u8>>` as an optional hex string.
pub mod opt {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serialize `Some(bytes)` as hex, `None` as null.
    pub fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(b) => s.serialize_some(&super::encode(b)),
            None => s.serialize_none(),
        }
    }

    /// Deserialize an optional hex string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        let s = Option::<String>::deserialize(d)?;
        s.map(|s| super::decode(&s).map_err(serde::de::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trip() {
        let b = vec![0u8, 1, 0xAB, 0xFF];
        assert_eq!(super::encode(&b), "0001abff");
        assert_eq!(super::decode("0001ABff"), Ok(b));
        assert!(super::decode("abc").is_err());
        assert!(super::decode("zz").is_err());
    }
}
