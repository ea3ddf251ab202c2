//! Is one environment variable name a slip of another?
//!
//! Token-aware, so that deliberate names stay apart: `POSTGRES_PORT` is not a typo of
//! `POSTGRES_HOST` (two letters differ, but in a four-letter word), `OPENAI_API_KEY_2` is
//! not a typo of `OPENAI_API_KEY` (a whole token was added), while `POSTGRES_PASSWOD`,
//! `OPENAPI_API_KEY`, `OPEN_AI_API_KEY` and `OPENAI_APIKEY` are.
//!
//! Names are compared as upper-case tokens split at `_`, `-` and `.`.

/// Words that name the credential itself; one may stand in for another by mistake.
const CREDENTIAL_WORDS: &[&str] = &["KEY", "TOKEN", "SECRET"];
/// Words that qualify a credential (`API_KEY`, `ACCESS_KEY`, `AUTH_TOKEN`).
const QUALIFIER_WORDS: &[&str] = &["API", "ACCESS", "AUTH"];

fn tokens(name: &str) -> Vec<String> {
    name.split(['_', '-', '.'])
        .filter(|t| !t.is_empty())
        .map(|t| t.to_ascii_uppercase())
        .collect()
}

fn compact(name: &str) -> String {
    name.bytes()
        .filter(|b| !matches!(b, b'_' | b'-' | b'.'))
        .map(|b| b.to_ascii_uppercase() as char)
        .collect()
}

/// Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps), capped:
/// anything above `cap` is reported as `cap + 1`.
pub fn osa(a: &str, b: &str, cap: usize) -> usize {
    let a = a.as_bytes();
    let b = b.as_bytes();
    if a.len().abs_diff(b.len()) > cap {
        return cap + 1;
    }
    // names are short; three rows of the table
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()].min(cap + 1)
}

/// Two tokens that differ by a slip of the fingers: one edit in a word of at least four
/// letters (six for the first token, which usually names the provider: `GROK` and `GROQ`
/// are different companies), two in a word of at least eight. Digits never differ by
/// accident (`DB1` / `DB2`).
fn token_slip(a: &str, b: &str, first: bool) -> bool {
    if a == b || a.bytes().any(|c| c.is_ascii_digit()) || b.bytes().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let len = a.len().min(b.len());
    let d = osa(a, b, 2);
    let min1 = if first { 6 } else { 4 };
    d == 1 && len >= min1 || d == 2 && len >= 8
}

/// `a` is a near miss of `b`, with no knowledge of what the names hold: the same name
/// with different separators (`OPEN_AI_KEY` / `OPENAI_KEY`), one token misspelled
/// (`POSTGRES_PASSWOD`), or two adjacent tokens swapped (`KEY_API`).
pub fn near_miss(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    if compact(a) == compact(b) {
        return true;
    }
    let (ta, tb) = (tokens(a), tokens(b));
    if ta.len() != tb.len() {
        return false;
    }
    let diff: Vec<usize> = (0..ta.len()).filter(|&i| ta[i] != tb[i]).collect();
    match diff.as_slice() {
        [i] => token_slip(&ta[*i], &tb[*i], *i == 0),
        [i, j] => *j == i + 1 && ta[*i] == tb[*j] && ta[*j] == tb[*i],
        _ => false,
    }
}

/// `a` names the same credential as the secret `b` with one word changed: a dropped
/// word (`OPENAI_KEY`, `AWS_SECRET_KEY`), an inserted qualifier (`HF_API_TOKEN`), or one
/// credential word for another (`OPENAI_API_TOKEN`, `API` for `AUTH`). The first token
/// (the provider) must be the same, and the last token of `a` must still be a credential
/// word, so `OPENAI_API_KEY_PROD` and `AWS_SECRET_ACCESS` stay apart.
pub fn credential_slip(a: &str, b: &str) -> bool {
    let (ta, tb) = (tokens(a), tokens(b));
    if ta.len() < 2 || tb.len() < 2 || ta[0] != tb[0] || ta == tb {
        return false;
    }
    let last_ok = ta
        .last()
        .is_some_and(|t| CREDENTIAL_WORDS.contains(&t.as_str()));
    if !last_ok {
        return false;
    }
    let same_group = |x: &str, y: &str| {
        CREDENTIAL_WORDS.contains(&x) && CREDENTIAL_WORDS.contains(&y)
            || QUALIFIER_WORDS.contains(&x) && QUALIFIER_WORDS.contains(&y)
    };
    if ta.len() + 1 == tb.len() {
        // a word of b dropped (never the provider)
        return (1..tb.len()).any(|k| {
            tb.iter()
                .enumerate()
                .filter(|&(i, _)| i != k)
                .map(|(_, t)| t)
                .eq(ta.iter())
        });
    }
    if ta.len() == tb.len() + 1 {
        // a qualifier inserted
        return (1..ta.len()).any(|k| {
            QUALIFIER_WORDS.contains(&ta[k].as_str())
                && ta
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != k)
                    .map(|(_, t)| t)
                    .eq(tb.iter())
        });
    }
    if ta.len() == tb.len() {
        let diff: Vec<usize> = (0..ta.len()).filter(|&i| ta[i] != tb[i]).collect();
        return diff.len() == 1 && same_group(&ta[diff[0]], &tb[diff[0]]);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osa_distance() {
        assert_eq!(osa("PASSWOD", "PASSWORD", 2), 1);
        assert_eq!(osa("SECERT", "SECRET", 2), 1);
        assert_eq!(osa("HOST", "PORT", 2), 2);
        assert_eq!(osa("A", "ABCDEF", 2), 3);
        assert_eq!(osa("", "", 2), 0);
    }

    #[test]
    fn generic_near_misses() {
        for (a, b) in [
            ("POSTGRES_PASSWOD", "POSTGRES_PASSWORD"),
            ("OPENAPI_API_KEY", "OPENAI_API_KEY"),
            ("OPEN_AI_API_KEY", "OPENAI_API_KEY"),
            ("OPENAI_APIKEY", "OPENAI_API_KEY"),
            ("AWS_SECERT_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
            ("OPENAI_KEY_API", "OPENAI_API_KEY"),
            ("openai-api-key", "OPENAI_API_KEY"),
            ("DATABSE_URL", "DATABASE_URL"),
        ] {
            assert!(near_miss(a, b), "{a} ~ {b}");
        }
        for (a, b) in [
            ("POSTGRES_PORT", "POSTGRES_HOST"),
            ("OPENAI_API_KEY_2", "OPENAI_API_KEY"),
            ("GROK_API_KEY", "GROQ_API_KEY"),
            ("DB1_URL", "DB2_URL"),
            ("API_URL", "API_URI"),
            ("SENTRY_ORG", "SENTRY_URL"),
            ("OPENAI_MODEL", "OPENAI_LOG"),
            ("HF_TOKEN", "GH_TOKEN"),
            ("AWS_REGION", "AWS_REGION"),
            ("REDIS_HOST", "REDIS_PORT"),
        ] {
            assert!(!near_miss(a, b), "{a} !~ {b}");
        }
    }

    #[test]
    fn credential_slips() {
        for (a, b) in [
            ("OPENAI_KEY", "OPENAI_API_KEY"),
            ("ANTHROPIC_KEY", "ANTHROPIC_API_KEY"),
            ("AWS_SECRET_KEY", "AWS_SECRET_ACCESS_KEY"),
            ("HF_API_TOKEN", "HF_TOKEN"),
            ("OPENAI_API_TOKEN", "OPENAI_API_KEY"),
            ("ANTHROPIC_API_TOKEN", "ANTHROPIC_AUTH_TOKEN"),
        ] {
            assert!(credential_slip(a, b), "{a} ~ {b}");
        }
        for (a, b) in [
            ("OPENAI_API_KEY_PROD", "OPENAI_API_KEY"),
            ("MY_OPENAI_API_KEY", "OPENAI_API_KEY"),
            ("AWS_SECRET_ACCESS", "AWS_SECRET_ACCESS_KEY"),
            ("OPENAI_MODEL", "OPENAI_API_KEY"),
            ("AWS_REGION_NAME", "AWS_REGION"),
            ("OPENAI_API_KEY", "OPENAI_API_KEY"),
            ("OPENAI_TOKEN", "OPENAI_API_KEY"),
        ] {
            assert!(!credential_slip(a, b), "{a} !~ {b}");
        }
    }
}
