//! The one error type of the crate. Messages are plain English meant for an end user; they never
//! contain image data.

use std::fmt;

/// What went wrong, as the JS side's error codes see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ImageErrorKind {
    /// Empty, non-image, truncated or corrupt bytes (`INVALID_IMAGE`).
    Invalid,
    /// A real image in a format this codec cannot decode, e.g. HEIC (`UNSUPPORTED_FORMAT`).
    Unsupported,
    /// Over `max_source_pixels`, or impossible to fit under the budget (`IMAGE_TOO_LARGE`).
    TooLarge,
}

impl ImageErrorKind {
    /// The stable error code the JS layer exposes.
    pub fn code(self) -> &'static str {
        match self {
            ImageErrorKind::Invalid => "INVALID_IMAGE",
            ImageErrorKind::Unsupported => "UNSUPPORTED_FORMAT",
            ImageErrorKind::TooLarge => "IMAGE_TOO_LARGE",
        }
    }
}

/// An image preparation failure with a message for humans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageError {
    pub kind: ImageErrorKind,
    pub message: String,
}

impl ImageError {
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        ImageError {
            kind: ImageErrorKind::Invalid,
            message: message.into(),
        }
    }
    pub(crate) fn unsupported(message: impl Into<String>) -> Self {
        ImageError {
            kind: ImageErrorKind::Unsupported,
            message: message.into(),
        }
    }
    pub(crate) fn too_large(message: impl Into<String>) -> Self {
        ImageError {
            kind: ImageErrorKind::TooLarge,
            message: message.into(),
        }
    }

    /// The stable error code (`INVALID_IMAGE`, `UNSUPPORTED_FORMAT`, `IMAGE_TOO_LARGE`).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ImageError {}

/// The one message for HEIC/HEIF/AVIF input: neither codec decodes it here and the OCR providers
/// do not read it (`crates/core` sends it too).
pub const HEIC_MESSAGE: &str =
    "HEIC/HEIF and AVIF photos (the iPhone default) cannot be read here \
nor by the OCR providers. On the iPhone choose Settings > Camera > Formats > \"Most Compatible\" \
and take the photo again, or send a JPEG or PNG (a screenshot works).";
