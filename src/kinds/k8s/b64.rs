//! Standard base64 decoding (RFC 4648, `+/`, padding optional, whitespace ignored),
//! for Kubernetes Secret `data` values. Hand-written: a dozen lines do not justify a
//! dependency, and a value that is not base64 must just return `None`.

/// Decodes standard base64; `None` if `s` is not valid base64.
pub fn decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut pad = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                pad += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return None,
        };
        if pad > 0 {
            return None;
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Leftover bits must be zero padding of fewer than one byte.
    if pad > 2 || bits >= 6 || acc != 0 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes() {
        assert_eq!(decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode("aGVsbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode("YWRtaW4=").as_deref(), Some(&b"admin"[..]));
        assert_eq!(decode("aGVs\nbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode("").as_deref(), Some(&b""[..]));
    }

    #[test]
    fn rejects() {
        for bad in [
            "${DB_URL_BASE64}",
            "a",
            "aGVsbG8=x",
            "ab-c",
            "aGVsbG9=",
            "{{ .Values.x }}",
        ] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
