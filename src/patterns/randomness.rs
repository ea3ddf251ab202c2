//! Is a string random enough to be a generated secret? Plain Shannon entropy misjudges short
//! strings (a random 12-character key cannot reach a high entropy) and long ones (a sentence or
//! an identifier like `get_secret_token_from_vault` scores high). This test, after ripsecrets'
//! probability-of-randomness idea, compares the string with what a random string of the same
//! length over the same alphabet would look like: how many distinct characters it uses, how
//! many of its bigrams are common in words and code, and whether it mixes character classes.

/// The alphabet a value appears to be drawn from.
fn alphabet_size(s: &[u8]) -> f64 {
    let hex = s.iter().all(u8::is_ascii_hexdigit);
    if hex {
        return 16.0;
    }
    let alnum = s.iter().all(u8::is_ascii_alphanumeric);
    let lower = !s.iter().any(u8::is_ascii_uppercase);
    let upper = !s.iter().any(u8::is_ascii_lowercase);
    match (alnum, lower || upper) {
        (true, true) => 36.0,
        (true, false) => 62.0,
        _ => 66.0,
    }
}

/// Bigrams that dominate English words and identifiers (lowercased).
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

fn common_bigram_fraction(s: &[u8]) -> f64 {
    let letters: Vec<u8> = s.iter().map(u8::to_ascii_lowercase).collect();
    let mut total = 0usize;
    let mut common = 0usize;
    for w in letters.windows(2) {
        if !(w[0].is_ascii_alphabetic() && w[1].is_ascii_alphabetic()) {
            continue;
        }
        total += 1;
        if COMMON_BIGRAMS.iter().any(|b| b[0] == w[0] && b[1] == w[1]) {
            common += 1;
        }
    }
    // Too few letter pairs to judge (hex digests, digit-heavy keys): no evidence of words.
    if total < 4 || total * 3 < s.len() {
        0.0
    } else {
        common as f64 / total as f64
    }
}

/// The share of the expected number of distinct characters a random string would show.
fn distinct_ratio(s: &[u8], base: f64) -> f64 {
    let mut seen = [false; 256];
    let mut distinct = 0usize;
    for &b in s {
        if !seen[b as usize] {
            seen[b as usize] = true;
            distinct += 1;
        }
    }
    let n = s.len() as f64;
    let expected = base * (1.0 - (1.0 - 1.0 / base).powf(n));
    distinct as f64 / expected
}

/// Does `s` look like a generated secret rather than a word, identifier, sentence or pattern?
pub fn is_random(s: &[u8]) -> bool {
    let n = s.len();
    if !(8..=512).contains(&n) {
        return false;
    }
    if s.iter().any(|b| b.is_ascii_whitespace()) {
        return false;
    }
    let digits = s.iter().filter(|b| b.is_ascii_digit()).count();
    let lowers = s.iter().filter(|b| b.is_ascii_lowercase()).count();
    let uppers = s.iter().filter(|b| b.is_ascii_uppercase()).count();
    let symbols = n - digits - lowers - uppers;
    let classes = [digits, lowers, uppers, symbols]
        .iter()
        .filter(|&&c| c > 0)
        .count();
    if digits == n || lowers + uppers == 0 {
        return false;
    }
    let base = alphabet_size(s);
    let distinct = distinct_ratio(s, base);
    let bigrams = common_bigram_fraction(s);
    // Identifiers and sentences: mostly letters in word-like bigrams.
    if bigrams > 0.55 && n < 40 {
        return false;
    }
    if classes < 2 && n < 24 {
        return false;
    }
    if classes < 2 && bigrams > 0.35 {
        return false;
    }
    // snake_case or kebab-case words: many separators, few digits.
    let seps = s
        .iter()
        .filter(|&&b| b == b'_' || b == b'-' || b == b'.')
        .count();
    if seps * 5 >= n && digits * 6 < n {
        return false;
    }
    let entropy = crate::classify::shannon_entropy(s);
    let min_entropy: f64 = match n {
        0..=11 => 2.8,
        12..=19 => 3.1,
        20..=31 => 3.4,
        _ => 3.6,
    };
    if base <= 16.0 {
        // hex: random hex of 16+ chars shows letters and digits, entropy near 4 for long strings.
        return n >= 16
            && digits > 0
            && lowers + uppers > 0
            && entropy >= min_entropy.min(3.2)
            && distinct >= 0.6;
    }
    entropy >= min_entropy && distinct >= 0.55
}

#[cfg(test)]
mod tests {
    use super::is_random;

    #[test]
    fn random_values() {
        for s in [
            "9fQz3LmX8pR2vT6w",
            "a8f5f167f44f4964e6c998dee827110c",
            "Zt7Kq2PbX9mWv4Lr8Ns1Hd6Jf3Gc5Yq0",
            "x9S!k2#Lm8@pQ4",
            "ghx_4Kd9sLm2PqR7tVw1Yz3Bn6Cx8Fh0Jk",
        ] {
            assert!(is_random(s.as_bytes()), "{s} should look random");
        }
    }

    #[test]
    fn non_random_values() {
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
        ] {
            assert!(!is_random(s.as_bytes()), "{s} should not look random");
        }
    }
}
