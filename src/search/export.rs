//! Streaming every match without a cap (`--all`).

use super::collect::{for_each_match, sort_matches};
use super::compile::compile_request;
use super::hits::make_hit;
use super::request::{Hit, SearchRequest, Sort};
use crate::index::CivIndex;
use anyhow::Result;

/// Stream every matching article, without a cap: in index order (constant memory)
/// when `sort` is `None`, else sorted (16 bytes a match held while sorting).
pub fn export(
    idx: &CivIndex,
    req: &SearchRequest,
    sort: Option<Sort>,
    mut emit: impl FnMut(Hit) -> Result<()>,
) -> Result<usize> {
    let searcher = idx.searcher()?;
    let compiled = compile_request(idx, &searcher, req)?;
    let mut n = 0;
    match sort {
        None => {
            for_each_match(&searcher, &*compiled.query, |addr, score| {
                let hit = make_hit(idx, &searcher, addr, score, &compiled.matcher, req)?;
                if compiled.needs_check && !compiled.check(&idx.article_at(&searcher, addr)?) {
                    return Ok(());
                }
                n += 1;
                emit(hit)
            })?;
        }
        Some(order) => {
            let mut all = Vec::new();
            for_each_match(&searcher, &*compiled.query, |addr, score| {
                all.push((addr, score));
                Ok(())
            })?;
            sort_matches(&searcher, &mut all, order)?;
            for (addr, score) in all {
                if compiled.needs_check && !compiled.check(&idx.article_at(&searcher, addr)?) {
                    continue;
                }
                n += 1;
                emit(make_hit(
                    idx,
                    &searcher,
                    addr,
                    score,
                    &compiled.matcher,
                    req,
                )?)?;
            }
        }
    }
    Ok(n)
}
