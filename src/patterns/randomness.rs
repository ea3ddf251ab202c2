//! Is a string random enough to be a generated secret?
//!
//! Plain Shannon entropy misjudges both ends: a random 12-character key cannot reach a high
//! entropy (it has at most 12 distinct bytes), while a long identifier such as
//! `get_secret_token_from_vault` or a sentence scores high. Instead, after ripsecrets'
//! probability-of-randomness idea, we assume the string was drawn uniformly from the smallest
//! common alphabet that holds it (hex, upper or lower alphanumeric, alphanumeric, base64,
//! printable) and ask how likely a few observations would be for such a string:
//!
//! 1. the number of distinct characters (words and patterns reuse few letters), computed
//!    exactly from the occupancy distribution;
//! 2. the share of each character class (words have no digits, a digit run has no letters);
//! 3. the number of letter pairs that are common in English and code (`th`, `er`, `in` …),
//!    which is what makes identifiers and sentences look "high entropy" to Shannon;
//! 4. runs (`123456`, `abcdef`, `aaaa`), which a generator almost never produces.
//!
//! The product of the first three probabilities is compared with a threshold, and the string
//! must carry enough bits (`len × log2(alphabet)`) to be worth guessing. Unit tests below pin
//! the behaviour on both short and long strings; `tests/randomness.rs` measures it against
//! plain Shannon entropy on labelled samples.

/// The alphabet a value appears to be drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    /// `0-9a-f` or `0-9A-F`.
    Hex,
    /// `0-9a-fA-F` with both cases (some generators emit mixed-case hex).
    HexMixed,
    /// The character classes the string uses: lowercase, uppercase, digits, and the distinct
    /// symbols it contains (a generator's symbol set is usually small: `+/`, `-_`, `!@#$%^&*`).
    Classes {
        lower: bool,
        upper: bool,
        digits: bool,
        symbols: u8,
    },
}

impl Alphabet {
    pub fn size(self) -> f64 {
        match self {
            Alphabet::Hex => 16.0,
            Alphabet::HexMixed => 22.0,
            Alphabet::Classes {
                lower,
                upper,
                digits,
                symbols,
            } => {
                26.0 * (lower as u8 + upper as u8) as f64
                    + 10.0 * digits as u8 as f64
                    + symbols as f64
            }
        }
    }

    pub fn of(s: &[u8]) -> Alphabet {
        let lower = s.iter().any(u8::is_ascii_lowercase);
        let upper = s.iter().any(u8::is_ascii_uppercase);
        if s.iter().all(u8::is_ascii_hexdigit) {
            return if lower && upper {
                Alphabet::HexMixed
            } else {
                Alphabet::Hex
            };
        }
        let mut seen = [false; 128];
        for &b in s {
            if b.is_ascii_graphic() && !b.is_ascii_alphanumeric() {
                seen[b as usize] = true;
            }
        }
        let symbols = seen.iter().filter(|&&x| x).count() as u8;
        // Digits always belong: nearly every generator uses them, and their absence is the
        // strongest sign of a word.
        Alphabet::Classes {
            lower,
            upper,
            digits: true,
            symbols,
        }
    }
}

/// Letter pairs that dominate English words and identifiers (lowercase). A random pair of
/// letters falls in this set with probability `COMMON_BIGRAMS.len() / 676`.
const COMMON_BIGRAMS: &[&[u8; 2]] = &[
    b"th", b"he", b"in", b"er", b"an", b"re", b"on", b"at", b"en", b"nd", b"ti", b"es", b"or",
    b"te", b"of", b"ed", b"is", b"it", b"al", b"ar", b"st", b"to", b"nt", b"ng", b"se", b"ha",
    b"as", b"ou", b"io", b"le", b"ve", b"co", b"me", b"de", b"hi", b"ri", b"ro", b"ic", b"ne",
    b"ea", b"ra", b"ce", b"li", b"ch", b"ll", b"be", b"ma", b"si", b"om", b"ur", b"ca", b"el",
    b"ta", b"la", b"ns", b"di", b"fo", b"ho", b"pe", b"ec", b"pr", b"no", b"ct", b"us", b"ac",
    b"ot", b"il", b"tr", b"ly", b"nc", b"et", b"ut", b"ss", b"so", b"rs", b"un", b"lo", b"wa",
    b"ge", b"ie", b"wh", b"ee", b"wi", b"em", b"ad", b"ol", b"rt", b"po", b"we", b"na", b"ul",
    b"ni", b"ts", b"mo", b"ow", b"pa", b"im", b"mi", b"ai", b"sh", b"ir", b"su", b"id", b"os",
    b"iv", b"ia", b"am", b"fi", b"ci", b"vi", b"pl", b"ig", b"tu", b"ev", b"ld", b"ry", b"mp",
    b"fe", b"bl", b"ab", b"gh", b"ty", b"op", b"wo", b"sa", b"ay", b"ex", b"ke", b"fr", b"oo",
    b"av", b"ag", b"if", b"ap", b"gr", b"od", b"bo", b"sp", b"rd", b"do", b"uc", b"bu", b"ei",
    b"ov", b"by", b"rm", b"ep", b"tt", b"oc", b"fa", b"ef", b"cu", b"rn", b"sc", b"gi", b"da",
    b"yo", b"cr", b"cl", b"du", b"ga", b"qu", b"ue", b"ff", b"ba", b"ey", b"ls", b"va", b"um",
    b"pp", b"ua", b"up", b"lu", b"go", b"ht", b"ru", b"ug", b"ds", b"lt", b"pi", b"rc", b"rr",
    b"eg", b"au", b"ck", b"ew", b"mu", b"br", b"bi", b"pt", b"ak", b"pu", b"ui", b"rg", b"ib",
    b"tl", b"ny", b"ki", b"rk", b"ys", b"ob", b"mm", b"fu", b"ph", b"og", b"ms", b"ye", b"ud",
    b"mb", b"ip", b"ub", b"oi", b"rl", b"gu", b"dr", b"hr", b"cc", b"tw", b"ft", b"wn", b"nu",
    b"af", b"hu", b"nn", b"eo", b"vo", b"rv", b"nf", b"xp", b"gn", b"sm", b"fl", b"iz", b"ok",
    b"nl", b"my", b"gl", b"aw", b"ju", b"oa", b"eq", b"sy", b"sl", b"ps", b"jo", b"fs", b"nv",
    b"ik", b"ze", b"lf", b"ks", b"sk",
];

/// 26×26 lookup table of [`COMMON_BIGRAMS`].
static BIGRAM_TABLE: std::sync::LazyLock<[[bool; 26]; 26]> = std::sync::LazyLock::new(|| {
    let mut t = [[false; 26]; 26];
    for b in COMMON_BIGRAMS {
        t[(b[0] - b'a') as usize][(b[1] - b'a') as usize] = true;
    }
    t
});

/// `ln(n!)` for the binomial tails.
fn ln_factorial(n: usize) -> f64 {
    (2..=n).map(|i| (i as f64).ln()).sum()
}

/// The probability of a binomial count at least as extreme as `k` (the tail on `k`'s side of
/// the mean), for `n` trials of probability `p`.
fn binomial_tail(n: usize, k: usize, p: f64) -> f64 {
    if n == 0 || p <= 0.0 || p >= 1.0 {
        return 1.0;
    }
    let ln_n = ln_factorial(n);
    let pmf = |i: usize| {
        (ln_n - ln_factorial(i) - ln_factorial(n - i)
            + i as f64 * p.ln()
            + (n - i) as f64 * (1.0 - p).ln())
        .exp()
    };
    let range: Box<dyn Iterator<Item = usize>> = if (k as f64) < n as f64 * p {
        Box::new(0..=k)
    } else {
        Box::new(k..=n)
    };
    range.map(pmf).sum::<f64>().min(1.0)
}

/// P(a uniform random string of length `n` over `base` symbols shows at most `d` distinct
/// symbols), by the occupancy recurrence.
fn p_distinct_at_most(n: usize, d: usize, base: usize) -> f64 {
    if d >= n.min(base) {
        return 1.0;
    }
    // dist[k] = P(k distinct after i draws)
    let mut dist = vec![0.0f64; base + 1];
    dist[0] = 1.0;
    let b = base as f64;
    for _ in 0..n {
        for k in (0..=base).rev() {
            let stay = dist[k] * (k as f64 / b);
            let come = if k > 0 {
                dist[k - 1] * ((b - (k - 1) as f64) / b)
            } else {
                0.0
            };
            dist[k] = stay + come;
        }
    }
    dist[..=d].iter().sum::<f64>().min(1.0)
}

fn distinct(s: &[u8]) -> usize {
    let mut seen = [false; 256];
    s.iter()
        .filter(|&&b| !std::mem::replace(&mut seen[b as usize], true))
        .count()
}

/// The least likely character-class share (digits, upper, lower, symbols) for the alphabet.
fn p_char_classes(s: &[u8], alpha: Alphabet) -> f64 {
    let n = s.len();
    let count = |f: fn(&u8) -> bool| s.iter().filter(|b| f(b)).count();
    let digits = count(u8::is_ascii_digit);
    let upper = count(u8::is_ascii_uppercase);
    let lower = count(u8::is_ascii_lowercase);
    let symbols = n - digits - upper - lower;
    let size = alpha.size();
    let classes: Vec<(usize, f64)> = match alpha {
        Alphabet::Hex => vec![(digits, 10.0)],
        Alphabet::HexMixed => vec![(digits, 10.0), (upper, 6.0), (lower, 6.0)],
        Alphabet::Classes {
            lower: l,
            upper: u,
            digits: d,
            symbols: sy,
        } => {
            let mut v = Vec::with_capacity(4);
            if l {
                v.push((lower, 26.0));
            }
            if u {
                v.push((upper, 26.0));
            }
            if d {
                v.push((digits, 10.0));
            }
            if sy > 0 {
                v.push((symbols, sy as f64));
            }
            v
        }
    };
    classes
        .into_iter()
        .map(|(k, c)| binomial_tail(n, k, c / size))
        .fold(1.0, f64::min)
}

/// How likely this many common letter pairs are in a random string of the alphabet.
fn p_bigrams(s: &[u8], alpha: Alphabet) -> f64 {
    let table = &*BIGRAM_TABLE;
    let letters_in_alphabet = match alpha {
        Alphabet::Hex | Alphabet::HexMixed => return 1.0,
        Alphabet::Classes { lower, upper, .. } => 26.0 * (lower as u8 + upper as u8) as f64,
    };
    let p_letter = letters_in_alphabet / alpha.size();
    let p_pair = p_letter * p_letter * COMMON_BIGRAMS.len() as f64 / 676.0;
    let mut pairs = 0;
    let mut common = 0;
    for w in s.windows(2) {
        pairs += 1;
        let (a, b) = (w[0].to_ascii_lowercase(), w[1].to_ascii_lowercase());
        if a.is_ascii_lowercase()
            && b.is_ascii_lowercase()
            && table[(a - b'a') as usize][(b - b'a') as usize]
        {
            common += 1;
        }
    }
    if (common as f64) <= pairs as f64 * p_pair {
        return 1.0;
    }
    binomial_tail(pairs, common, p_pair)
}

/// A run a generator almost never emits: 5+ consecutive ascending or descending characters
/// (`12345`, `abcde`, `98765`) or 4+ repeats (`aaaa`, `0000`).
pub fn has_pattern_run(s: &[u8]) -> bool {
    let (mut up, mut down, mut same) = (1, 1, 1);
    for w in s.windows(2) {
        let (a, b) = (w[0], w[1]);
        let alnum = a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric();
        up = if alnum && b == a.wrapping_add(1) {
            up + 1
        } else {
            1
        };
        down = if alnum && b.wrapping_add(1) == a {
            down + 1
        } else {
            1
        };
        same = if a == b { same + 1 } else { 1 };
        if up >= 5 || down >= 5 || same >= 4 {
            return true;
        }
    }
    hex_counting(s)
}

/// Hex test vectors that count bytes: `000102030405…`, `f0f1f2f3…`.
fn hex_counting(s: &[u8]) -> bool {
    if s.len() < 8 || !s.iter().all(u8::is_ascii_hexdigit) {
        return false;
    }
    let val = |b: u8| (b as char).to_digit(16).unwrap_or(0);
    let bytes: Vec<u32> = s
        .chunks_exact(2)
        .map(|c| val(c[0]) * 16 + val(c[1]))
        .collect();
    let mut run = 1;
    for w in bytes.windows(2) {
        run = if w[1] == w[0] + 1 { run + 1 } else { 1 };
        if run >= 4 {
            return true;
        }
    }
    false
}

/// `snake_case`, `kebab-case`, dotted, slashed or `host:port` text: separated segments that are
/// each all letters or all digits. Generated strings with separators (base64 `+/`, tokens with
/// `.` or `_`) almost always have a segment that mixes letters and digits.
pub fn is_structured_words(s: &[u8]) -> bool {
    let mut segments = 0;
    for seg in s
        .split(|b| !b.is_ascii_alphanumeric())
        .filter(|g| !g.is_empty())
    {
        segments += 1;
        let letters = seg.iter().all(u8::is_ascii_alphabetic);
        let digits = seg.iter().all(u8::is_ascii_digit);
        // A word with a version or size suffix: `jinja2`, `sha256`, `v3`.
        let split = seg.iter().position(u8::is_ascii_digit).unwrap_or(seg.len());
        let versioned = split >= 1
            && seg.len() - split <= 3
            && seg[..split].iter().all(u8::is_ascii_alphabetic)
            && seg[split..].iter().all(u8::is_ascii_digit);
        if !(letters || digits || versioned) {
            return false;
        }
    }
    segments >= 2
}

/// The probability-of-randomness score in `[0, 1]`: small means "not random".
pub fn p_random(s: &[u8]) -> f64 {
    let alpha = Alphabet::of(s);
    let base = alpha.size() as usize;
    p_distinct_at_most(s.len(), distinct(s), base) * p_char_classes(s, alpha) * p_bigrams(s, alpha)
}

/// Bits a uniformly random string of this length and alphabet would carry.
pub fn bits(s: &[u8]) -> f64 {
    s.len() as f64 * Alphabet::of(s).size().log2()
}

/// The probability below which the observations are too unlikely for a random string of
/// length `n`: 1e-4 up to 16 characters, then stricter, because every test gains power with
/// length (a 40-character identifier scores below 1e-20) while real secrets with a little
/// structure (encoded text, mixed-case hex, separators) drift slowly below 1e-4.
fn threshold(n: usize) -> f64 {
    let extra = n.saturating_sub(16) as f64 / 8.0;
    10f64.powf(-(4.0 + extra.min(6.0)))
}

/// A generated secret worth guessing carries at least this many bits.
const MIN_BITS: f64 = 60.0;

/// Drops a short word prefix that providers and formats put before the random part
/// (`sk_live_`, `xoxb-`, `sha256-`, `pat.`): `abc_` + at least 16 characters.
fn strip_word_prefix(s: &[u8]) -> &[u8] {
    let Some(pos) = s
        .iter()
        .take(12)
        .position(|&b| matches!(b, b'_' | b'-' | b'.' | b':'))
    else {
        return s;
    };
    let (head, rest) = (&s[..pos], &s[pos + 1..]);
    if pos >= 2 && rest.len() >= 16 && head.iter().all(|b| b.is_ascii_alphanumeric()) {
        rest
    } else {
        s
    }
}

/// Does `s` look like a generated secret rather than a word, identifier, sentence or pattern?
pub fn is_random(s: &[u8]) -> bool {
    let n = s.len();
    if !(8..=1024).contains(&n) || s.iter().any(|b| !b.is_ascii_graphic()) {
        return false;
    }
    // Base64 padding carries no information.
    let core = s
        .strip_suffix(b"==")
        .or_else(|| s.strip_suffix(b"="))
        .unwrap_or(s);
    if core.iter().all(u8::is_ascii_digit) || !core.iter().any(u8::is_ascii_alphabetic) {
        return false;
    }
    if bits(core) < MIN_BITS || has_pattern_run(core) {
        return false;
    }
    if is_structured_words(core) {
        return false;
    }
    let core = strip_word_prefix(core);
    // Long strings: test the first 256 bytes (the distinct-values recurrence is quadratic).
    let sample = &core[..core.len().min(256)];
    p_random(sample) >= threshold(sample.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_values_short_and_long() {
        for s in [
            "9fQz3LmX8pR2vT6w",
            "a8f5f167f44f4964e6c998dee827110c",
            "Zt7Kq2PbX9mWv4Lr8Ns1Hd6Jf3Gc5Yq0",
            "x9S!k2#Lm8@pQ4kz",
            "iftkeq2y4qj0nbt",
            "2Tm6cdsRVBTL9hRCmR6MRDTpMLFS4I",
            "1B4a2e77838347a7E420ce178F2E7c6912E169246c3CE1ccbF66C46812d16D5B1A9Dc86A1498",
            "9e51341f8d87894c927d0150be0a9676c7427850c11607bb2e8943292a029a91ebed6a91",
            "c2VjcmV0IG1lc3NhZ2Ugc28geW91J2xsIG5ldmVyIGd1ZXNzIG15IHBhc3N3b3Jk",
            "`-08iOR~zZik6ko^\\JPBy4r",
        ] {
            assert!(
                is_random(s.as_bytes()),
                "{s} should look random (p = {})",
                p_random(s.as_bytes())
            );
        }
    }

    #[test]
    fn words_identifiers_and_patterns_are_not_random() {
        for s in [
            "get_secret_token_from_vault",
            "mysecretpassword",
            "the-quick-brown-fox",
            "CHANGEME",
            "12345678901234",
            "development",
            "localhost:5432",
            "application/json",
            "AuthenticationToken",
            "DEADBEEF",
            "0123456789abcdefghijklmnopqrstuvwxyz_-.",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            "dapi123456789012345678a9bc01234defg5",
            "com.example.myapplication.settings",
            "PROJECT_NAME_ALIAS",
            "aaaaaaaaaaaaaaaaaaaa",
            "ThisIsMySuperSecretPasswordForProduction",
            "smtp_password",
            "X-Requested-With",
            "application/vnd.api+json",
        ] {
            assert!(
                !is_random(s.as_bytes()),
                "{s} should not look random (p = {})",
                p_random(s.as_bytes())
            );
        }
    }

    #[test]
    fn alphabet_is_the_smallest_that_holds_the_string() {
        assert_eq!(Alphabet::of(b"deadbeef01"), Alphabet::Hex);
        assert_eq!(Alphabet::of(b"DeadBeef01"), Alphabet::HexMixed);
        assert_eq!(Alphabet::of(b"zzz").size(), 36.0);
        assert_eq!(Alphabet::of(b"zz09").size(), 36.0);
        assert_eq!(Alphabet::of(b"Zz09").size(), 62.0);
        assert_eq!(Alphabet::of(b"Zz0_-").size(), 64.0);
        assert_eq!(Alphabet::of(b"zz0!@#").size(), 39.0);
    }

    #[test]
    fn binomial_tails() {
        assert!((binomial_tail(2, 0, 0.5) - 0.25).abs() < 1e-12);
        assert!((binomial_tail(2, 1, 0.5) - 0.75).abs() < 1e-12);
        assert!((binomial_tail(2, 2, 0.5) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn distinct_values_distribution() {
        // 2 draws over 4 symbols: P(1 distinct) = 1/4.
        assert!((p_distinct_at_most(2, 1, 4) - 0.25).abs() < 1e-12);
        assert!((p_distinct_at_most(3, 3, 4) - 1.0).abs() < 1e-12);
        assert!(p_distinct_at_most(20, 3, 62) < 1e-12);
    }

    #[test]
    fn structured_words() {
        assert!(is_structured_words(b"smtp_password"));
        assert!(is_structured_words(b"localhost:5432"));
        assert!(is_structured_words(b"X-Requested-With"));
        assert!(is_structured_words(b"jinja2_native"));
        assert!(is_structured_words(b"sha256_password"));
        assert!(!is_structured_words(b"a1b2_c3d4"));
        assert!(!is_structured_words(b"password"));
    }

    #[test]
    fn runs() {
        assert!(has_pattern_run(b"x12345y"));
        assert!(has_pattern_run(b"zyxwv"));
        assert!(has_pattern_run(b"ab0000"));
        assert!(!has_pattern_run(b"a1b2c3d4"));
        assert!(has_pattern_run(b"000102030405060708090a0b0c0d0e0f"));
    }
}
