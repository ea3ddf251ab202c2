//! Tool failures (never findings): bad config, bad rule files, unreadable paths, output errors.
//! Each is a miette diagnostic; errors in a file point into it.

use miette::{Diagnostic, NamedSource, SourceSpan};
use std::ops::Range;
use std::path::Path;

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    /// An error at a place in a config or rule file.
    #[error("{message}")]
    #[diagnostic(code(keylint::config))]
    InFile {
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: Option<SourceSpan>,
    },
    #[error("{0}")]
    #[diagnostic(code(keylint::usage))]
    Usage(String),
    #[error("cannot read {path}: {source}")]
    #[diagnostic(code(keylint::io))]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write output: {0}")]
    #[diagnostic(code(keylint::output))]
    Output(#[source] std::io::Error),
}

impl Error {
    pub fn in_file(name: &Path, text: &str, span: Option<Range<usize>>, message: String) -> Error {
        Error::InFile {
            message,
            src: NamedSource::new(name.display().to_string(), text.to_string()),
            span: span.map(|r| SourceSpan::from(r.start..r.end.max(r.start))),
        }
    }

    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.display().to_string(),
            source,
        }
    }
}
