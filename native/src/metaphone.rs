//! Metaphone keys of token texts, as `matchers.index.phonetic_key` gives them ("" under 3
//! characters, else `jellyfish.metaphone`, of the jellyfish Python package 1.3.0), for
//! strings of `A`–`Z` and the wildcard `?` (the normalised token texts and what is made
//! of them: cores, two tokens joined). Any other string is left to the caller (Python's
//! `phonetic_key`), so the key never depends on how this port would read case, accents
//! or spaces.
//!
//! The rules are jellyfish's, read from its behaviour. One of them differs from the
//! jellyfish crate 1.0.0 on crates.io: there a final `GH` is `KH` (`HUGH` -> `HKH`),
//! in the Python package 1.3.0 it is silent (`HUGH` -> `H`), as a `GH` before a
//! consonant is. `tests/unit/matchers/test_native_metaphone.py` compares this port
//! with `phonetic_key` on the real lists' tokens and on generated strings.

/// `matchers.index.phonetic_key(text)`: "" for fewer than 3 characters, else the
/// Metaphone key of `text`. `None` for a string of 3 characters or more holding one
/// other than `A`–`Z` and `?`: ask Python's `phonetic_key`.
pub fn phonetic_key(text: &str) -> Option<String> {
    let word = text.as_bytes();
    if !word.iter().all(|&b| b.is_ascii_uppercase() || b == b'?') {
        return (text.chars().count() < 3).then(String::new);
    }
    if word.len() < 3 {
        return Some(String::new());
    }
    // at most two characters a letter (X: KS)
    let mut key = String::with_capacity(2 * word.len());
    metaphone(word, &mut key);
    Some(key)
}

/// Past either end of the word.
const END: u8 = 0;

fn is_vowel(b: u8) -> bool {
    matches!(b, b'A' | b'E' | b'I' | b'O' | b'U')
}

/// `I`, `E` or `Y`: the letters that soften `C` and `G`.
fn is_soft(b: u8) -> bool {
    matches!(b, b'I' | b'E' | b'Y')
}

/// Append the Metaphone key of `word` (bytes `A`–`Z` and `?`, at least one) to `key`.
/// `?` gives nothing but is a letter to its neighbours' rules (`C?H` is `KH`, `CH` `X`).
fn metaphone(word: &[u8], key: &mut String) {
    // a silent first letter: KNIGHT, GNOME, PNEUMA, WRIGHT, AETNA
    let w = match word {
        [b'K', b'N', ..]
        | [b'G', b'N', ..]
        | [b'P', b'N', ..]
        | [b'W', b'R', ..]
        | [b'A', b'E', ..] => &word[1..],
        _ => word,
    };
    let at = |k: usize| w.get(k).copied().unwrap_or(END);
    let mut i = 0;
    while i < w.len() {
        let c = w[i];
        let (prev, next, after) = (if i == 0 { END } else { w[i - 1] }, at(i + 1), at(i + 2));
        // a doubled letter counts once (the second one is read), except CC
        if c == next && c != b'C' {
            i += 1;
            continue;
        }
        // letters after `c` that its rule reads as its own
        let mut taken = 0;
        match c {
            // a vowel is kept only first
            b'A' | b'E' | b'I' | b'O' | b'U' if i == 0 => key.push(c as char),
            // silent in a final MB
            b'B' if !(prev == b'M' && next == END) => key.push('B'),
            b'C' => {
                if next == b'H' || (next == b'I' && after == b'A') {
                    key.push('X');
                    taken = 1;
                } else if is_soft(next) {
                    key.push('S');
                    taken = 1;
                } else {
                    key.push('K');
                }
            }
            b'D' => {
                if next == b'G' && is_soft(after) {
                    key.push('J');
                    taken = 2;
                } else {
                    key.push('T');
                }
            }
            b'F' | b'J' | b'L' | b'M' | b'N' | b'R' => key.push(c as char),
            b'G' => {
                if is_soft(next) {
                    key.push('J');
                } else if (next == b'H' && !is_vowel(after)) || (next == b'N' && after == END) {
                    // GH before a consonant or at the end, a final GN: silent
                    taken = 1;
                } else {
                    key.push('K');
                }
            }
            // silent after a vowel unless a vowel follows (first: `prev` is END)
            b'H' if is_vowel(next) || !is_vowel(prev) => key.push('H'),
            b'K' if prev != b'C' => key.push('K'),
            b'P' => {
                if next == b'H' {
                    key.push('F');
                    taken = 1;
                } else {
                    key.push('P');
                }
            }
            b'Q' => key.push('K'),
            b'S' => {
                if next == b'H' {
                    key.push('X');
                    taken = 1;
                } else if next == b'I' && matches!(after, b'O' | b'A') {
                    key.push('X');
                    taken = 2;
                } else {
                    key.push('S');
                }
            }
            b'T' => {
                if next == b'I' && matches!(after, b'O' | b'A') {
                    key.push('X');
                } else if next == b'H' {
                    key.push('0');
                    taken = 1;
                } else if !(next == b'C' && after == b'H') {
                    key.push('T');
                }
            }
            b'V' => key.push('F'),
            b'W' => {
                if i == 0 && next == b'H' {
                    key.push('W');
                    taken = 1;
                } else if is_vowel(next) {
                    key.push('W');
                }
            }
            b'X' => {
                if i > 0 {
                    key.push_str("KS");
                } else if next == b'H' || (next == b'I' && matches!(after, b'O' | b'A')) {
                    key.push('X');
                } else {
                    key.push('S');
                }
            }
            b'Y' if is_vowel(next) => key.push('Y'),
            b'Z' => key.push('S'),
            // `?`, and the letters the guards above leave silent
            _ => {}
        }
        i += 1 + taken;
    }
}

#[cfg(test)]
mod tests {
    use super::phonetic_key;

    fn key(text: &str) -> String {
        phonetic_key(text).expect("an A-Z/? string")
    }

    #[test]
    fn known_keys() {
        // values of jellyfish.metaphone 1.3.0 (via matchers.index.phonetic_key)
        for (text, want) in [
            ("SMITH", "SM0"),
            ("MOHAMMED", "MHMT"),
            ("KNIGHT", "NT"),
            ("HUGH", "H"),
            ("BERGH", "BR"),
            ("GHOST", "KHST"),
            ("XAVIER", "SFR"),
            ("WHYTE", "WT"),
            ("SCHMIDT", "SXMTT"),
            ("MA?TA", "MT"),
            ("C?H", "KH"),
            ("JO", ""),
            ("", ""),
        ] {
            assert_eq!(key(text), want, "{text}");
        }
    }

    #[test]
    fn other_strings_are_left_to_python() {
        assert_eq!(phonetic_key("smith"), None);
        assert_eq!(phonetic_key("JOHN SMITH"), None);
        assert_eq!(phonetic_key("MÜLLER"), None);
        // under 3 characters the key is "" whatever they are
        assert_eq!(phonetic_key("Ü"), Some(String::new()));
        assert_eq!(phonetic_key("ab"), Some(String::new()));
    }
}
