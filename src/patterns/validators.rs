//! Checksum validators for declarative secret rules (`validator = "..."` in
//! `rules/secrets/*.toml`).
//!
//! A validator runs on capture group 1 (the secret) after the regex and the
//! entropy test. It rejects look-alikes that have the right shape but cannot
//! have been issued by the provider, such as hand-typed fakes or truncated copies.
//!
//! ## `crc32-base62`
//! GitHub (`ghp_`, `gho_`, `ghu_`, `ghr_`) and npm (`npm_`) tokens end in a
//! 6-character checksum: `<prefix>_<body><checksum>`, where
//! `checksum = base62(CRC32(body))` left-padded with `'0'` to 6 characters, in the
//! alphabet `0-9A-Za-z`. The CRC is computed over the body only, which excludes
//! the prefix and the `_`.
//! Sources: GitHub's blog post "Behind GitHub's new authentication token formats"
//! (2021-04-05), quoted in DataDog/dd-sensitive-data-scanner#156: "a CRC32
//! algorithm ... encode the result with a Base62 implementation, using leading zeros
//! for padding". The alphabet order and the hashed bytes were confirmed against the
//! example tokens in kingfisher's `github.yml` (`ghp_`, `gho_`, `ghu_`, `ghr_`;
//! kingfisher#342 says they came from public code and were checked to be revoked;
//! `ghr_` bodies are 70 characters), the `npm_` example in kingfisher's `npm.yml`
//! and the dummy npm token in secretlint#202.
//! `ghs_` installation tokens are NOT checked: public samples do not carry the
//! checksum, and GitHub announced a longer installation-token format in 2026.
//!
//! ## `crc32-hex-suffix`
//! Atlassian "AT..." tokens (Bitbucket app passwords `ATBB...`, Bitbucket access
//! tokens `ATCTT3xFfGN0...`, Atlassian API tokens `ATATT3...`) end in 8 hex digits:
//! the CRC32 of everything before them, prefix included. Hex case is ignored.
//! Source: CredSweeper `filters/value_atlassian_token_check.py`
//! (`check_crc32_struct`), which kingfisher's Bitbucket rules also use. It was
//! checked against the example tokens in kingfisher's bitbucket.yml.

use serde::Deserialize;

/// A post-match check on the secret (capture group 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Validator {
    /// `<prefix>_<body><6-char base62 CRC32 of body>` (GitHub classic tokens, npm).
    Crc32Base62,
    /// `<payload><8 hex digits of CRC32(payload)>` (Atlassian / Bitbucket `AT...` tokens).
    Crc32HexSuffix,
}

impl Validator {
    /// True when `secret` passes the check. Callers report a finding only then.
    pub fn check(&self, secret: &[u8]) -> bool {
        match self {
            Validator::Crc32Base62 => crc32_base62(secret),
            Validator::Crc32HexSuffix => crc32_hex_suffix(secret),
        }
    }
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Checks a `<prefix>_<body><checksum>` token. The part after the last `_` must
/// be ASCII alphanumeric and longer than the 6-character checksum.
pub fn crc32_base62(token: &[u8]) -> bool {
    let start = token.iter().rposition(|&b| b == b'_').map_or(0, |i| i + 1);
    let tail = &token[start..];
    if tail.len() <= 6 || !tail.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let (body, checksum) = tail.split_at(tail.len() - 6);
    base62_6(crc32(body)) == checksum
}

/// Checks `<payload><crc>` where `crc` is the 8-digit hex CRC32 of `payload`.
/// A `=` that was URL-encoded as `%3D` is not decoded; the regex captures it raw.
pub fn crc32_hex_suffix(token: &[u8]) -> bool {
    if token.len() <= 8 {
        return false;
    }
    let (payload, suffix) = token.split_at(token.len() - 8);
    let mut want = 0u32;
    for &b in suffix {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => return false,
        };
        want = (want << 4) | u32::from(digit);
    }
    crc32(payload) == want
}

/// `n` in base62 (`0-9A-Za-z`), left-padded with '0' to 6 digits. 62^6 > 2^32, so
/// every u32 fits.
fn base62_6(mut n: u32) -> [u8; 6] {
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    out
}

/// CRC-32/ISO-HDLC (the zlib/PNG CRC: reflected polynomial 0xEDB88320, initial
/// value and final XOR 0xFFFFFFFF). It is implemented here so the core needs no
/// extra dependency; the tokens are short, so a bytewise table is plenty.
fn crc32(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc = TABLE[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    crc ^ 0xFFFF_FFFF
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        // The catalogued check value of CRC-32/ISO-HDLC for "123456789".
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn base62_pads_and_orders_digits_before_upper_before_lower() {
        assert_eq!(&base62_6(0), b"000000");
        assert_eq!(&base62_6(61), b"00000z");
        assert_eq!(&base62_6(62), b"000010");
        assert_eq!(&base62_6(u32::MAX), b"4gfFC3");
    }

    #[test]
    fn accepts_tokens_with_a_valid_checksum() {
        // A body generated for this test with its checksum, and the npm dummy.
        for t in [
            "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",
            "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", // secretlint #202 dummy
        ] {
            assert!(Validator::Crc32Base62.check(t.as_bytes()), "{t}");
        }
    }

    #[test]
    fn rejects_bad_checksums_and_malformed_tokens() {
        for t in [
            "ghp_R8mKq2VxZt7LwN4pYc1HbJd6sFgA0e0gKfpe", // last char changed
            "npm_qkJaB6MffYVzZXWqmcoF49yrUxP3wf0lSAKp", // case-swapped checksum
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "ghp_",
            "ghp_abc123",
            "ghp_R8mKq2VxZt7LwN4pYc1HbJd6sFgA-e0gKfpd",
        ] {
            assert!(!Validator::Crc32Base62.check(t.as_bytes()), "{t}");
        }
    }

    #[test]
    fn crc32_hex_suffix_checks_the_trailing_crc() {
        // Generated for this test: "ATBB" + 24 random alphanumerics + CRC32 hex.
        let good = "ATBBq7Lm2XcV9pRtY4sWn8KdF3hJ1bZeCD153951";
        assert!(Validator::Crc32HexSuffix.check(good.as_bytes()));
        // hex case is ignored
        let lower_hex = format!("{}{}", &good[..32], good[32..].to_ascii_lowercase());
        assert!(Validator::Crc32HexSuffix.check(lower_hex.as_bytes()));
        assert!(!Validator::Crc32HexSuffix.check(b"ATBBq7Lm2XcV9pRtY4sWn8KdF3hJ1bZe00000000"));
        assert!(!Validator::Crc32HexSuffix.check(b"ATBBq7Lm2XcV9pRtY4sWn8KdF3hJ1bZeCD15395G"));
        assert!(!Validator::Crc32HexSuffix.check(b"1234"));
    }

    #[test]
    fn deserializes_from_kebab_case() {
        #[derive(Deserialize)]
        struct W {
            validator: Validator,
        }
        let w: W = toml::from_str(r#"validator = "crc32-base62""#).unwrap();
        assert_eq!(w.validator, Validator::Crc32Base62);
        let w: W = toml::from_str(r#"validator = "crc32-hex-suffix""#).unwrap();
        assert_eq!(w.validator, Validator::Crc32HexSuffix);
        assert!(toml::from_str::<W>(r#"validator = "crc32""#).is_err());
    }
}
