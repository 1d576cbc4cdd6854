//! The two declarations beside a formula: its variables (`"x, y"`, in coordinate order) and its
//! parameters (`"mu = 1, a = 0.5"`: named constants; a value may be a constant expression in the
//! parameters before it, such as `"a = 2, b = sqrt(a)/3"`).
//!
//! A name starts with a letter or `_` and continues with letters, digits or `_` (Unicode letters
//! such as `μ` count). Names are distinct, and none may be a function name.

use super::function::Func;
use super::lexer::{is_name_char, is_name_start};
use super::parser::{parse, Scope};
use super::tape::Tape;
use crate::error::{Result, SpecError};

/// Most variables a formula may have.
pub(super) const MAX_VARIABLES: usize = 16;

/// Most parameters a formula may have.
pub(super) const MAX_PARAMETERS: usize = 16;

const VARIABLES: &str = "objective.variables";
const PARAMETERS: &str = "objective.params";

/// Named constants with their values.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Parameters {
    pub names: Vec<String>,
    pub values: Vec<f64>,
}

/// A trimmed name or value and the 0-based character offset of its first character (of where it
/// would be, if empty) in the whole text.
struct Item {
    text: String,
    offset: usize,
}

/// The comma-separated pieces of `chars`, each with the offset of its first character.
fn pieces(chars: &[char]) -> Vec<(usize, &[char])> {
    let mut start = 0;
    chars
        .split(|&c| c == ',')
        .map(|piece| {
            let offset = start;
            start += piece.len() + 1;
            (offset, piece)
        })
        .collect()
}

/// `piece` (starting at character `offset`) without surrounding whitespace.
fn trimmed(piece: &[char], offset: usize) -> Item {
    let lead = piece.iter().take_while(|c| c.is_whitespace()).count();
    let text: String = piece[lead..].iter().collect();
    Item { text: text.trim_end().to_string(), offset: offset + lead }
}

/// Checks that `item` is a new, valid name; `taken` lists the names already declared, each
/// with what it is ("a variable", "a parameter").
fn check_name(item: &Item, field: &str, taken: &[(&[String], &str)]) -> Result<()> {
    let column = item.offset + 1;
    let name = item.text.as_str();
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Err(SpecError::new(field, format!("missing name at column {column}")));
    };
    if !is_name_start(first) || !chars.all(is_name_char) {
        return Err(SpecError::new(
            field,
            format!(
                "`{name}` at column {column} is not a name: a name starts with a letter or '_' and \
                 continues with letters, digits or '_'"
            ),
        ));
    }
    if Func::named(name).is_some() {
        return Err(SpecError::new(field, format!("`{name}` at column {column} is a function name")));
    }
    if let Some((_, what)) = taken.iter().find(|(names, _)| names.iter().any(|n| n == name)) {
        return Err(SpecError::new(field, format!("`{name}` at column {column} is already {what}")));
    }
    Ok(())
}

/// The variables declared by `text`, in order.
pub(super) fn variables(text: &str) -> Result<Vec<String>> {
    if text.trim().is_empty() {
        return Err(SpecError::new(VARIABLES, "is empty: list the variables in coordinate order, such as \"x, y\""));
    }
    let chars: Vec<char> = text.chars().collect();
    let pieces = pieces(&chars);
    if pieces.len() > MAX_VARIABLES {
        return Err(SpecError::new(VARIABLES, format!("lists {} variables; at most {MAX_VARIABLES} are allowed", pieces.len())));
    }
    let mut names: Vec<String> = Vec::with_capacity(pieces.len());
    for (offset, piece) in pieces {
        let item = trimmed(piece, offset);
        check_name(&item, VARIABLES, &[(&names, "a variable")])?;
        names.push(item.text);
    }
    Ok(names)
}

/// The parameters declared by `text` (`name = value, …`; empty for none), none of which may be
/// named like one of `variables`.
pub(super) fn parameters(text: &str, variables: &[String]) -> Result<Parameters> {
    let mut declared = Parameters::default();
    if text.trim().is_empty() {
        return Ok(declared);
    }
    let chars: Vec<char> = text.chars().collect();
    let pieces = pieces(&chars);
    if pieces.len() > MAX_PARAMETERS {
        return Err(SpecError::new(PARAMETERS, format!("lists {} parameters; at most {MAX_PARAMETERS} are allowed", pieces.len())));
    }
    for (start, piece) in pieces {
        let Some(eq) = piece.iter().position(|&c| c == '=') else {
            let item = trimmed(piece, start);
            return Err(SpecError::new(
                PARAMETERS,
                format!("expected `name = value` at column {} (parameters are written \"mu = 1, a = 0.5\")", item.offset + 1),
            ));
        };
        let name = trimmed(&piece[..eq], start);
        check_name(&name, PARAMETERS, &[(variables, "a variable"), (&declared.names, "a parameter")])?;
        let value = trimmed(&piece[eq + 1..], start + eq + 1);
        if value.text.is_empty() {
            return Err(SpecError::new(PARAMETERS, format!("missing value for `{}` at column {}", name.text, value.offset + 1)));
        }
        let scope = Scope { variables: &[], parameters: &declared.names };
        let expr = parse(&value.text, scope, PARAMETERS, value.offset)?;
        let v = Tape::compile(&expr, &declared.values).eval::<f64>(&[], &mut Vec::new());
        if !v.is_finite() {
            return Err(SpecError::new(
                PARAMETERS,
                format!("the value of `{}` at column {} is not finite (got {v})", name.text, value.offset + 1),
            ));
        }
        declared.names.push(name.text);
        declared.values.push(v);
    }
    Ok(declared)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn variables_in_order() {
        assert_eq!(variables("x, y").unwrap(), strings(&["x", "y"]));
        assert_eq!(variables(" θ_1 ,θ_2,  w ").unwrap(), strings(&["θ_1", "θ_2", "w"]));
        let sixteen: Vec<String> = (1..=16).map(|i| format!("x{i}")).collect();
        assert_eq!(variables(&sixteen.join(", ")).unwrap(), sixteen);
    }

    #[test]
    fn parameters_with_constant_expressions() {
        let xy = strings(&["x", "y"]);
        assert_eq!(parameters("", &xy).unwrap(), Parameters::default());
        assert_eq!(parameters("  ", &xy).unwrap(), Parameters::default());
        let p = parameters("mu = 1, a = 0.5", &xy).unwrap();
        assert_eq!((p.names, p.values), (strings(&["mu", "a"]), vec![1.0, 0.5]));
        let p = parameters("a = 2, b = sqrt(a)^2/4, c = -2^2", &xy).unwrap();
        assert_eq!(p.values[1], 2f64.sqrt().powi(2) / 4.0);
        assert_eq!(p.values[2], -4.0);
    }

    #[test]
    fn bad_declarations_are_refused_with_their_column() {
        let xy = strings(&["x", "y"]);
        let cases: Vec<(Result<()>, &str, &str)> = vec![
            (variables("").map(drop), VARIABLES, "is empty: list the variables in coordinate order, such as \"x, y\""),
            (variables("x,,y").map(drop), VARIABLES, "missing name at column 3"),
            (variables("x, y,").map(drop), VARIABLES, "missing name at column 6"),
            (
                variables("x, 2y").map(drop),
                VARIABLES,
                "`2y` at column 4 is not a name: a name starts with a letter or '_' and continues with letters, \
                 digits or '_'",
            ),
            (
                variables("x y").map(drop),
                VARIABLES,
                "`x y` at column 1 is not a name: a name starts with a letter or '_' and continues with letters, \
                 digits or '_'",
            ),
            (variables("x, exp").map(drop), VARIABLES, "`exp` at column 4 is a function name"),
            (variables("μ, x, μ").map(drop), VARIABLES, "`μ` at column 7 is already a variable"),
            (
                variables(&(0..17).map(|i| format!("x{i}")).collect::<Vec<_>>().join(",")).map(drop),
                VARIABLES,
                "lists 17 variables; at most 16 are allowed",
            ),
            (
                parameters("mu 1", &xy).map(drop),
                PARAMETERS,
                "expected `name = value` at column 1 (parameters are written \"mu = 1, a = 0.5\")",
            ),
            (
                parameters("mu = 1,  a", &xy).map(drop),
                PARAMETERS,
                "expected `name = value` at column 10 (parameters are written \"mu = 1, a = 0.5\")",
            ),
            (parameters("mu = ", &xy).map(drop), PARAMETERS, "missing value for `mu` at column 6"),
            (parameters(" = 1", &xy).map(drop), PARAMETERS, "missing name at column 2"),
            (parameters("x = 1", &xy).map(drop), PARAMETERS, "`x` at column 1 is already a variable"),
            (parameters("a = 1, a = 2", &xy).map(drop), PARAMETERS, "`a` at column 8 is already a parameter"),
            (parameters("a = 1, log = 2", &xy).map(drop), PARAMETERS, "`log` at column 8 is a function name"),
            (parameters("a = 1, b = 2*c", &xy).map(drop), PARAMETERS, "unknown name `c` at column 14 (no variables; parameters: a)"),
            (parameters("a = 1, b = a*x", &xy).map(drop), PARAMETERS, "unknown name `x` at column 14 (no variables; parameters: a)"),
            (
                parameters("a = 1, b = 2 a", &xy).map(drop),
                PARAMETERS,
                "expected an operator at column 14 (found `a`; multiplication must be written with '*')",
            ),
            (parameters("a = 0, b = 1/a", &xy).map(drop), PARAMETERS, "the value of `b` at column 12 is not finite (got inf)"),
            (parameters("a = log(-1)", &xy).map(drop), PARAMETERS, "the value of `a` at column 5 is not finite (got NaN)"),
            (parameters("a = 1 = 2", &xy).map(drop), PARAMETERS, "unexpected character `=` at column 7"),
            (
                parameters(&(0..17).map(|i| format!("a{i} = 1")).collect::<Vec<_>>().join(","), &xy).map(drop),
                PARAMETERS,
                "lists 17 parameters; at most 16 are allowed",
            ),
        ];
        for (result, field, message) in cases {
            let e = result.unwrap_err();
            assert_eq!((e.field.as_str(), e.message.as_str()), (field, message));
        }
    }
}
