//! Diagnostics: what went wrong (or is only approximate), and where.
//!
//! Every stage reports problems as [`Diagnostic`]s that carry a [`Location`]: the
//! source file, the JSON pointer inside it and, where the loader could find it,
//! the line and column. Errors stop generation; warnings do not (unless the
//! caller asks to deny them).

use std::fmt;
use std::path::PathBuf;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Generation went on, but the output only approximates the spec here.
    Warning,
    /// Generation cannot produce correct output.
    Error,
}

/// Where in the input a diagnostic points.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The source file, when the problem belongs to one.
    pub file: Option<PathBuf>,
    /// A JSON pointer (RFC 6901) into that file, for example
    /// `/paths/~1accounts/get/responses/200`.
    pub pointer: String,
    /// One-based line, where the source text gives it.
    pub line: Option<usize>,
    /// One-based column, where the source text gives it.
    pub column: Option<usize>,
}

impl Location {
    /// A location in `file` at `pointer`, without a line.
    pub fn new(file: Option<PathBuf>, pointer: impl Into<String>) -> Self {
        Location {
            file,
            pointer: pointer.into(),
            line: None,
            column: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{}", file.display())?,
            None => f.write_str("<merged spec>")?,
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if !self.pointer.is_empty() {
            write!(f, " at #{}", self.pointer)?;
        }
        Ok(())
    }
}

/// Groups diagnostics of one kind in the summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The input could not be read or parsed.
    Syntax,
    /// The input is not an OpenAPI 3.0 document.
    NotOpenApi,
    /// A `$ref` points nowhere or loops.
    BadReference,
    /// Two fragments define one component differently.
    Conflict,
    /// `allOf` branches contradict each other.
    Contradiction,
    /// Two operations share an `operationId`.
    DuplicateOperation,
    /// Path parameters and the path template disagree.
    PathParameter,
    /// A construct the generator does not support.
    Unsupported,
    /// A schema typed as `serde_json::Value` although it has structure.
    Fallback,
    /// Two names became the same Rust identifier and were disambiguated.
    NameCollision,
    /// A union branch named by its position (`Variant2`): nothing else
    /// tells it apart.
    PositionalName,
    /// A part of the description that carries nothing (an empty optional
    /// body on a read) is left out of the API.
    Dropped,
    /// A list whose paging the description leaves ambiguous gets no
    /// streams.
    Paging,
    /// An option the generator was given cannot be honoured.
    Usage,
    /// A bug in the generator, not in the input.
    Internal,
}

impl Kind {
    /// A short, stable label used in summaries.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Syntax => "syntax",
            Kind::NotOpenApi => "not OpenAPI 3.0",
            Kind::BadReference => "bad reference",
            Kind::Conflict => "conflicting definitions",
            Kind::Contradiction => "contradicting allOf",
            Kind::DuplicateOperation => "duplicate operationId",
            Kind::PathParameter => "path parameter mismatch",
            Kind::Unsupported => "unsupported construct",
            Kind::Fallback => "typed as serde_json::Value",
            Kind::NameCollision => "name collision",
            Kind::PositionalName => "positional name",
            Kind::Dropped => "dropped as empty",
            Kind::Paging => "paging ambiguous",
            Kind::Usage => "invalid option",
            Kind::Internal => "internal error",
        }
    }
}

/// One problem found in the input.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem, for grouping.
    pub kind: Kind,
    /// Where it is.
    pub location: Location,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// A second location that takes part (the other definition of a conflict).
    pub related: Option<Location>,
}

impl Diagnostic {
    /// A bug in the generator, not in the input: no location, and help that
    /// says so.
    pub fn internal(message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(Kind::Internal, Location::default(), message.into()).with_help(
            "this is a bug in apigen, not in the description: please report it with the description",
        )
    }

    /// A new error.
    pub fn error(kind: Kind, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            kind,
            location,
            message: message.into(),
            help: None,
            related: None,
        }
    }

    /// A new warning.
    pub fn warning(kind: Kind, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(kind, location, message)
        }
    }

    /// Adds advice on what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a second location.
    pub fn with_related(mut self, related: Location) -> Self {
        self.related = Some(related);
        self
    }

    /// Whether this diagnostic stops generation.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}: {}\n  --> {}", self.message, self.location)?;
        if let Some(related) = &self.related {
            write!(f, "\n  --> {related}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// Escapes one JSON pointer token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends `token` to `pointer`.
pub fn join(pointer: &str, token: &str) -> String {
    // Made for every property and parameter lowered: without `format!`,
    // and escaping only what needs it.
    let mut joined = String::with_capacity(pointer.len() + 1 + token.len());
    joined.push_str(pointer);
    joined.push('/');
    if token.contains(['~', '/']) {
        joined.push_str(&escape_token(token));
    } else {
        joined.push_str(token);
    }
    joined
}
