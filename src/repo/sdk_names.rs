//! The environment variable names that SDKs read (`rules/env/sdk-names.toml`).
//!
//! The file is embedded at build time and parsed once, on first use. Its schema is
//! `rules/env/README.md`; unknown keys are an error, and the test suite checks the
//! invariants the README promises (unique ids and names, no misspelling that is a real
//! name), so a broken edit fails `cargo test` rather than a user's run.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use super::near_miss::{credential_slip, near_miss};

/// What a variable's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Holds {
    Secret,
    Id,
    Url,
    Config,
}

/// One SDK or tool.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sdk {
    pub id: String,
    pub name: String,
    pub packages: Vec<String>,
    pub var: Vec<Var>,
}

/// One setting an SDK reads from the environment.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Var {
    pub name: String,
    pub holds: Holds,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub legacy: Vec<String>,
    #[serde(default)]
    pub misspellings: Vec<String>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    sdk: Vec<Sdk>,
}

/// The table, indexed by every name an SDK reads.
#[derive(Debug, Default)]
pub struct SdkNames {
    pub sdks: Vec<Sdk>,
    /// canonical, alias and legacy names -> (sdk, var)
    known: HashMap<String, (usize, usize)>,
    /// listed misspellings -> (sdk, var)
    misspelled: HashMap<String, (usize, usize)>,
}

/// The embedded file.
pub const SDK_NAMES_TOML: &str = include_str!("../../rules/env/sdk-names.toml");

static EMBEDDED: LazyLock<SdkNames> = LazyLock::new(|| {
    // The embedded file is checked by the test suite; should it still fail to parse, the
    // rules that need it see an empty table and stay silent rather than abort a run.
    SdkNames::parse(SDK_NAMES_TOML).unwrap_or_default()
});

impl SdkNames {
    /// The table compiled into the binary.
    pub fn embedded() -> &'static SdkNames {
        &EMBEDDED
    }

    /// Parse a file in the `sdk-names.toml` schema.
    pub fn parse(text: &str) -> Result<SdkNames, toml::de::Error> {
        let file: File = toml::from_str(text)?;
        let mut known = HashMap::new();
        let mut misspelled = HashMap::new();
        for (s, sdk) in file.sdk.iter().enumerate() {
            for (v, var) in sdk.var.iter().enumerate() {
                for n in std::iter::once(&var.name)
                    .chain(&var.aliases)
                    .chain(&var.legacy)
                {
                    known.entry(n.clone()).or_insert((s, v));
                }
                for n in &var.misspellings {
                    misspelled.entry(n.clone()).or_insert((s, v));
                }
            }
        }
        Ok(SdkNames {
            sdks: file.sdk,
            known,
            misspelled,
        })
    }

    fn at(&self, (s, v): (usize, usize)) -> (&Sdk, &Var) {
        (&self.sdks[s], &self.sdks[s].var[v])
    }

    /// The SDK setting `name` is read for (canonical, alias or legacy name).
    pub fn lookup(&self, name: &str) -> Option<(&Sdk, &Var)> {
        self.known.get(name).map(|&i| self.at(i))
    }

    /// The SDK setting whose name `name` misses: a listed misspelling, the same name with a
    /// slip in one word, or (for a secret) a word dropped, added or swapped for a synonym.
    /// Names an SDK does read are never near misses.
    pub fn near_miss(&self, name: &str) -> Option<(&Sdk, &Var)> {
        if self.known.contains_key(name) {
            return None;
        }
        if let Some(&i) = self.misspelled.get(name) {
            return Some(self.at(i));
        }
        let names = |var: &Var| {
            std::iter::once(var.name.clone())
                .chain(var.aliases.clone())
                .collect::<Vec<_>>()
        };
        for (s, sdk) in self.sdks.iter().enumerate() {
            for (v, var) in sdk.var.iter().enumerate() {
                if names(var).iter().any(|n| near_miss(name, n)) {
                    return Some(self.at((s, v)));
                }
            }
        }
        for (s, sdk) in self.sdks.iter().enumerate() {
            for (v, var) in sdk.var.iter().enumerate() {
                if var.holds == Holds::Secret && names(var).iter().any(|n| credential_slip(name, n))
                {
                    return Some(self.at((s, v)));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn table() -> SdkNames {
        match SdkNames::parse(SDK_NAMES_TOML) {
            Ok(t) => t,
            Err(e) => panic!("rules/env/sdk-names.toml: {e}"),
        }
    }

    fn upper_snake(s: &str) -> bool {
        !s.is_empty()
            && s.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
            && s.bytes()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
    }

    #[test]
    fn embedded_file_keeps_its_invariants() {
        let t = table();
        assert!(!t.sdks.is_empty());
        let mut ids = HashSet::new();
        let mut names = HashSet::new();
        for sdk in &t.sdks {
            assert!(ids.insert(sdk.id.as_str()), "duplicate sdk id {}", sdk.id);
            assert!(
                !sdk.id.is_empty()
                    && sdk.id.split('-').all(|w| !w.is_empty()
                        && w.bytes()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "sdk id not kebab-case: {}",
                sdk.id
            );
            assert!(
                !sdk.name.is_empty() && !sdk.packages.is_empty() && !sdk.var.is_empty(),
                "{}",
                sdk.id
            );
            for var in &sdk.var {
                assert!(!var.source.trim().is_empty(), "{} has no source", var.name);
                for n in std::iter::once(&var.name)
                    .chain(&var.aliases)
                    .chain(&var.legacy)
                {
                    assert!(upper_snake(n), "{n} is not UPPER_SNAKE_CASE");
                    assert!(names.insert(n.clone()), "{n} is listed twice");
                }
            }
        }
        let mut miss = HashSet::new();
        for sdk in &t.sdks {
            for var in &sdk.var {
                for m in &var.misspellings {
                    assert!(upper_snake(m), "{m} is not UPPER_SNAKE_CASE");
                    assert!(!names.contains(m), "misspelling {m} is a name an SDK reads");
                    assert!(miss.insert(m.clone()), "misspelling {m} is listed twice");
                }
            }
        }
    }

    #[test]
    fn unknown_keys_are_errors() {
        let bad = "[[sdk]]\nid = \"x\"\nname = \"X\"\npackages = [\"x\"]\ncolour = \"red\"\n[[sdk.var]]\nname = \"X_KEY\"\nholds = \"secret\"\nsource = \"s\"\n";
        assert!(SdkNames::parse(bad).is_err());
        let bad = "[[sdk]]\nid = \"x\"\nname = \"X\"\npackages = [\"x\"]\n[[sdk.var]]\nname = \"X_KEY\"\nholds = \"password\"\nsource = \"s\"\n";
        assert!(SdkNames::parse(bad).is_err());
    }

    #[test]
    fn near_misses_of_the_issue() {
        let t = SdkNames::embedded();
        for (typo, canonical) in [
            ("OPENAI_KEY", "OPENAI_API_KEY"),
            ("OPEN_AI_API_KEY", "OPENAI_API_KEY"),
            ("OPEN_AI_KEY", "OPENAI_API_KEY"),
            ("OPEN_API_KEY", "OPENAI_API_KEY"),
            ("OPENAI_APIKEY", "OPENAI_API_KEY"),
            ("OPENAI_API_TOKEN", "OPENAI_API_KEY"),
            ("OPENAPI_API_KEY", "OPENAI_API_KEY"),
            ("ANTHROPIC_KEY", "ANTHROPIC_API_KEY"),
            ("AWS_SECRET_KEY", "AWS_SECRET_ACCESS_KEY"),
            ("AWS_SECERT_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
            ("HF_API_TOKEN", "HF_TOKEN"),
        ] {
            let got = t.near_miss(typo).map(|(_, v)| v.name.as_str());
            assert_eq!(got, Some(canonical), "{typo}");
        }
        for real in [
            "OPENAI_API_KEY",
            "COHERE_API_KEY",
            "CO_API_KEY",
            "HUGGING_FACE_HUB_TOKEN",
            "OPENAI_ORGANIZATION",
            "OPENAI_MODEL",
            "OPENAI_TIMEOUT",
            "AWS_REGION_NAME",
            "OPENAI_API_KEY_2",
            "NEXT_PUBLIC_OPENAI_API_KEY",
            "GROK_API_KEY",
            "DATABASE_URL",
            "POSTGRES_PASSWORD",
            "AZURE_OPENAI_DEPLOYMENT",
            "OPENAI_EMBEDDING_MODEL",
        ] {
            assert!(
                t.near_miss(real).is_none(),
                "{real} is not a near miss: {:?}",
                t.near_miss(real).map(|v| &v.1.name)
            );
        }
    }
}
