//! The randomness test against plain Shannon entropy on labelled values: generated secrets
//! (short and long, hex, base64, alphanumeric, with symbols) and look-alikes (words,
//! identifiers, sentences, paths, MIME types, keyboard and counting patterns). Strings under
//! 60 bits (8 alphanumerics) are below the detector's floor by design. For every
//! Shannon threshold, entropy misjudges more of them than `is_random` does.

use keylint::classify::shannon_entropy;
use keylint::patterns::randomness::is_random;

/// Values a generator produced (all fakes made for this test).
const RANDOM: &[&str] = &[
    "iftkeq2y4qj0nbt",
    "9fQz3LmX8pR2vT6w",
    "Zt7Kq2PbX9mWv4Lr8Ns1Hd6Jf3Gc5Yq0",
    "a8f5f167f44f4964e6c998dee827110c",
    "8b1118b376c313ed420e5133ba91307817ed52c2",
    "x9S!k2#Lm8@pQ4kz",
    "4Xc9Lr2TqW8zNp3M",
    "wwf*2#86t64!fgh6yav$aoeuo@u2o@fy&*gg76q!&%6x_wbduad",
    "`-08iOR~zZik6ko^\\JPBy4r",
    "kCWyUKyAEwONWg2l8J7nGsXOanv1Pv",
    "1B4a2e77838347a7E420ce178F2E7c6912E169246c3CE1ccbF66C46812d16D5B1A9Dc86A1498",
    "c2VjcmV0IG1lc3NhZ2Ugc28geW91J2xsIG5ldmVyIGd1ZXNzIG15IHBhc3N3b3Jk",
    "47briy6QVrPNDx.atlasv1.3mN8lSunwfczCI44eDPUmUx5t9NTBjalbNpE6w0Qj1uFe0QuRC3Y2t21Wbpqyf1MXzo",
    "MOLXG502hGM9DsUSyvKVf2cx8zXEdBesHZLSqXnMj4agm9jLx4gpC9R+z26CX4tKgrIpjvR9dgorE/DzVxxH79Pd",
];

/// Values that are not secrets, several with a high Shannon entropy.
const NOT_RANDOM: &[&str] = &[
    "get_secret_token_from_vault",
    "AuthenticationToken",
    "ThisIsMySuperSecretPasswordForProduction",
    "MySQLConnectionStringBuilderFactory",
    "thisisaverylongsentencewithoutanyspacesinit",
    "org.springframework.boot.autoconfigure",
    "src/main/resources/application.properties",
    "application/vnd.api+json",
    "X-Requested-With",
    "PROJECT_NAME_ALIAS",
    "smtp_password",
    "localhost:5432",
    "development",
    "DEADBEEF",
    "12345678901234",
    "0123456789abcdefghijklmnopqrstuvwxyz_-.",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "dapi123456789012345678a9bc01234defg5",
    "qwertyuiopasdfghjkl",
    "aaaaaaaaaaaaaaaaaaaa",
];

fn errors(judge: impl Fn(&str) -> bool) -> usize {
    RANDOM.iter().filter(|s| !judge(s)).count() + NOT_RANDOM.iter().filter(|s| judge(s)).count()
}

#[test]
fn is_random_labels_every_sample() {
    for s in RANDOM {
        assert!(is_random(s.as_bytes()), "{s} should look random");
    }
    for s in NOT_RANDOM {
        assert!(!is_random(s.as_bytes()), "{s} should not look random");
    }
}

#[test]
fn shannon_entropy_misjudges_more_at_every_threshold() {
    let ours = errors(|s| is_random(s.as_bytes()));
    let best_shannon = (20..=50)
        .map(|t| {
            let t = t as f64 / 10.0;
            errors(|s| shannon_entropy(s.as_bytes()) >= t)
        })
        .min()
        .unwrap_or(usize::MAX);
    assert_eq!(ours, 0);
    assert!(
        best_shannon >= 8,
        "plain entropy should misjudge many of these (best threshold: {best_shannon} errors)"
    );
}
