//! Splits formula text into tokens, each with its 1-based column counted in characters (so a
//! column stays right after a `μ` or `−`).
//!
//! Tokens: numbers (`2`, `0.5`, `.5`, `1e-3`, `2.5E+4`), names (a letter or `_`, then letters,
//! digits or `_`; Unicode letters such as `μ` count), the operators `+ - * / ^` (the minus sign
//! `−` is accepted for `-`) and parentheses. Whitespace separates tokens and is otherwise ignored.

use crate::error::{Result, SpecError};

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    Number(f64),
    Name,
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    Open,
    Close,
    /// The end of the text.
    End,
}

/// A token with where it starts and how it was written.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub kind: Kind,
    /// 1-based column of its first character.
    pub column: usize,
    /// Its text as written (empty at the end).
    pub text: String,
}

impl Token {
    /// How a message shows this token: names and numbers in backticks, punctuation in quotes.
    pub fn describe(&self) -> String {
        match self.kind {
            Kind::Number(_) | Kind::Name => format!("`{}`", self.text),
            Kind::End => "end of input".into(),
            _ => format!("'{}'", self.text),
        }
    }
}

/// Whether `c` can start a name.
pub(super) fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

/// Whether `c` can continue a name.
pub(super) fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A cursor over the characters of a text, producing one token at a time, so that an error
/// reported is always the leftmost one.
pub(super) struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    /// Added to every column: the position of this text inside a larger one.
    offset: usize,
    field: &'a str,
}

impl<'a> Lexer<'a> {
    /// A lexer over `text`, whose first character is at column `offset + 1` of the field's text;
    /// errors name `field`.
    pub fn new(text: &str, offset: usize, field: &'a str) -> Self {
        Self { chars: text.chars().collect(), pos: 0, offset, field }
    }

    fn column(&self, pos: usize) -> usize {
        self.offset + pos + 1
    }

    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    /// The next token.
    pub fn next_token(&mut self) -> Result<Token> {
        while self.peek(0).is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
        let start = self.pos;
        let Some(c) = self.peek(0) else {
            return Ok(Token { kind: Kind::End, column: self.column(start), text: String::new() });
        };
        let kind = match c {
            '+' => Some(Kind::Plus),
            '-' | '−' => Some(Kind::Minus),
            '*' => Some(Kind::Star),
            '/' => Some(Kind::Slash),
            '^' => Some(Kind::Caret),
            '(' => Some(Kind::Open),
            ')' => Some(Kind::Close),
            _ => None,
        };
        if let Some(kind) = kind {
            self.pos += 1;
            return Ok(Token { kind, column: self.column(start), text: c.to_string() });
        }
        if c.is_ascii_digit() || (c == '.' && self.peek(1).is_some_and(|d| d.is_ascii_digit())) {
            return self.number();
        }
        if is_name_start(c) {
            while self.peek(0).is_some_and(is_name_char) {
                self.pos += 1;
            }
            let text: String = self.chars[start..self.pos].iter().collect();
            return Ok(Token { kind: Kind::Name, column: self.column(start), text });
        }
        Err(SpecError::new(self.field, format!("unexpected character `{}` at column {}", c.escape_debug(), self.column(start))))
    }

    /// A number: `digits [. digits] [(e|E) [+|-] digits]`, or the same starting at the `.`.
    fn number(&mut self) -> Result<Token> {
        let start = self.pos;
        let digits = |lexer: &mut Self| {
            while lexer.peek(0).is_some_and(|d| d.is_ascii_digit()) {
                lexer.pos += 1;
            }
        };
        digits(self);
        if self.peek(0) == Some('.') {
            self.pos += 1;
            digits(self);
        }
        let mut malformed = None;
        if matches!(self.peek(0), Some('e' | 'E')) {
            let sign = usize::from(matches!(self.peek(1), Some('+' | '-')));
            if self.peek(1 + sign).is_some_and(|d| d.is_ascii_digit()) {
                self.pos += 1 + sign;
                digits(self);
            } else {
                self.pos += 1 + sign;
                malformed = Some("its exponent needs digits");
            }
        }
        if malformed.is_none() && self.peek(0) == Some('.') {
            self.pos += 1;
            malformed = Some("it has a second '.'");
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        let column = self.column(start);
        let value = match malformed {
            None => text.parse::<f64>().ok(),
            Some(_) => None,
        };
        match value {
            Some(v) if v.is_finite() => Ok(Token { kind: Kind::Number(v), column, text }),
            Some(_) => {
                Err(SpecError::new(self.field, format!("the number `{text}` at column {column} is too large (numbers must be finite)")))
            }
            None => Err(SpecError::new(
                self.field,
                format!("malformed number `{text}` at column {column}: {}", malformed.unwrap_or("not a number")),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Result<Vec<(Kind, usize, String)>> {
        let mut lexer = Lexer::new(text, 0, "objective.formula");
        let mut out = Vec::new();
        loop {
            let t = lexer.next_token()?;
            let end = t.kind == Kind::End;
            out.push((t.kind, t.column, t.text));
            if end {
                return Ok(out);
            }
        }
    }

    #[test]
    fn numbers_names_and_operators_with_character_columns() {
        let t = tokens(" μ1 −2.5e-1*(.5+x_2)^3E2 / 7.").unwrap();
        let kinds: Vec<&Kind> = t.iter().map(|(k, _, _)| k).collect();
        assert_eq!(
            kinds,
            [
                &Kind::Name,
                &Kind::Minus,
                &Kind::Number(0.25),
                &Kind::Star,
                &Kind::Open,
                &Kind::Number(0.5),
                &Kind::Plus,
                &Kind::Name,
                &Kind::Close,
                &Kind::Caret,
                &Kind::Number(300.0),
                &Kind::Slash,
                &Kind::Number(7.0),
                &Kind::End
            ]
        );
        let columns: Vec<usize> = t.iter().map(|(_, c, _)| *c).collect();
        assert_eq!(columns, [2, 5, 6, 12, 13, 14, 16, 17, 20, 21, 22, 26, 28, 30]);
        assert_eq!(t[0].2, "μ1");
        assert_eq!(t[7].2, "x_2");
    }

    #[test]
    fn malformed_numbers_and_stray_characters_are_refused_with_their_column() {
        let cases = [
            ("x + 1e", "malformed number `1e` at column 5: its exponent needs digits"),
            ("1e+ 2", "malformed number `1e+` at column 1: its exponent needs digits"),
            ("2 * 1.2.3", "malformed number `1.2.` at column 5: it has a second '.'"),
            ("1e999", "the number `1e999` at column 1 is too large (numbers must be finite)"),
            ("x $ y", "unexpected character `$` at column 3"),
            ("μ, x", "unexpected character `,` at column 2"),
            ("x\u{0}", "unexpected character `\\0` at column 2"),
        ];
        for (text, message) in cases {
            let e = tokens(text).unwrap_err();
            assert_eq!((e.field.as_str(), e.message.as_str()), ("objective.formula", message), "{text:?}");
        }
        assert_eq!(tokens("1e-999").unwrap()[0].0, Kind::Number(0.0));
    }
}
