//! The slice of structured fields (RFC 9651) the rate-limit headers use:
//! a list of items with parameters, e.g. `"default";q=100;w=60`, or a
//! dictionary of them (`limit=100, remaining=0`). Inner lists are not
//! parsed (no rate-limit header uses them): a value with one does not parse.

/// A bare item of a structured field (RFC 9651 §3.3), as far as rate-limit
/// headers use them.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// An integer.
    Int(i64),
    /// A decimal.
    Decimal(f64),
    /// A quoted string, unescaped.
    Str(String),
    /// A token.
    Token(String),
    /// A byte sequence, still base64.
    Bytes(String),
    /// A boolean (`?1`, or a parameter with no value).
    Bool(bool),
}

/// A list member (or, for draft-07's dictionary form, a dictionary member)
/// with its parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The dictionary key, for `key=value` members.
    pub key: Option<String>,
    /// The item.
    pub item: Item,
    /// Its parameters in order.
    pub params: Vec<(String, Item)>,
}

impl Member {
    /// The policy name: a string or token item.
    pub(super) fn name(&self) -> Option<String> {
        match &self.item {
            Item::Str(s) | Item::Token(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// The item as a non-negative integer.
    pub(super) fn int_item(&self) -> Option<u64> {
        match self.item {
            Item::Int(n) => u64::try_from(n).ok(),
            _ => None,
        }
    }

    /// Parameter `key` as a non-negative integer.
    pub fn int(&self, key: &str) -> Option<u64> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| match v {
                Item::Int(n) => u64::try_from(*n).ok(),
                _ => None,
            })
    }
}

/// Parses a structured-field list (or dictionary); `None` when it does not parse.
pub fn parse_list(value: &str) -> Option<Vec<Member>> {
    let mut p = Parser {
        s: value.as_bytes(),
        i: 0,
    };
    let mut out = Vec::new();
    p.spaces();
    if p.done() {
        return Some(out);
    }
    loop {
        out.push(p.member()?);
        p.spaces();
        if p.done() {
            return Some(out);
        }
        if !p.eat(b',') {
            return None;
        }
        p.spaces();
        if p.done() {
            return None;
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn done(&self) -> bool {
        self.i >= self.s.len()
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        self.i += usize::from(hit);
        hit
    }

    fn spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    fn member(&mut self) -> Option<Member> {
        let mut key = None;
        let item = if self
            .peek()
            .is_some_and(|b| b.is_ascii_lowercase() || b == b'*')
        {
            let name = self.key()?;
            if self.eat(b'=') {
                key = Some(name);
                self.item()?
            } else if self
                .peek()
                .is_none_or(|b| matches!(b, b';' | b',' | b' ' | b'\t'))
            {
                // A token that is also a valid key: a list token.
                Item::Token(name)
            } else {
                // The rest of a token (upper case, `/`, `:` …).
                let start = self.i;
                self.token_tail();
                Item::Token(format!(
                    "{name}{}",
                    String::from_utf8_lossy(&self.s[start..self.i])
                ))
            }
        } else {
            self.item()?
        };
        let mut params = Vec::new();
        while self.eat(b';') {
            self.spaces();
            let k = self.key()?;
            let v = if self.eat(b'=') {
                self.item()?
            } else {
                Item::Bool(true)
            };
            params.push((k, v));
        }
        Some(Member { key, item, params })
    }

    fn key(&mut self) -> Option<String> {
        let start = self.i;
        if !self.peek()?.is_ascii_lowercase() && self.peek()? != b'*' {
            return None;
        }
        while self.peek().is_some_and(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'-' | b'.' | b'*')
        }) {
            self.i += 1;
        }
        Some(String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }

    fn token_tail(&mut self) {
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~:/".contains(&b))
        {
            self.i += 1;
        }
    }

    fn item(&mut self) -> Option<Item> {
        match self.peek()? {
            b'"' => {
                self.i += 1;
                let mut out = String::new();
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.i += 1;
                            return Some(Item::Str(out));
                        }
                        b'\\' => {
                            self.i += 1;
                            let c = self.peek()?;
                            if c != b'"' && c != b'\\' {
                                return None;
                            }
                            out.push(char::from(c));
                            self.i += 1;
                        }
                        c if (0x20..0x7f).contains(&c) => {
                            out.push(char::from(c));
                            self.i += 1;
                        }
                        _ => return None,
                    }
                }
            }
            b':' => {
                self.i += 1;
                let start = self.i;
                while self.peek()? != b':' {
                    self.i += 1;
                }
                let bytes = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
                self.i += 1;
                Some(Item::Bytes(bytes))
            }
            b'?' => {
                self.i += 1;
                let b = match self.peek()? {
                    b'0' => false,
                    b'1' => true,
                    _ => return None,
                };
                self.i += 1;
                Some(Item::Bool(b))
            }
            b'-' | b'0'..=b'9' => {
                let start = self.i;
                self.i += 1;
                while self.peek().is_some_and(|b| b.is_ascii_digit() || b == b'.') {
                    self.i += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.i]).ok()?;
                if text.contains('.') {
                    text.parse().ok().map(Item::Decimal)
                } else {
                    text.parse().ok().map(Item::Int)
                }
            }
            c if c.is_ascii_alphabetic() || c == b'*' => {
                let start = self.i;
                self.token_tail();
                Some(Item::Token(
                    String::from_utf8_lossy(&self.s[start..self.i]).into_owned(),
                ))
            }
            _ => None,
        }
    }
}
