pub mod article;
pub mod extract;
pub mod html;
pub mod ingest;

pub use article::Article;
