//! `near-duplicate-text` (PC302): prose that is nearly the same as prose elsewhere.
//!
//! Scales linearly: MinHash signatures over character 3-grams and banded
//! locality-sensitive hashing find candidate pairs without comparing all
//! pairs; only candidates are compared exactly (edit distance).

use super::text_normalize::{ProseUnit, describe_unit, prose_units};
use super::{Context, RuleMeta};
use crate::diagnostics::{Diagnostic, MAX_RELATED, Related, Severity};
use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

pub static RULE: RuleMeta = RuleMeta {
    name: "near-duplicate-text",
    code: "PC302",
    default_severity: Severity::Warning,
    summary_ja: "ほぼ同じ文章 (一部だけ直したコピー)",
    summary_en: "prose that is nearly the same (a copy half edited)",
    doc_ja: "## 何を検出するか
別の場所の文章と、数文字だけ違うほぼ同じ文章を報告します (既定: 類似度 85% 以上、完全に同じものは `duplicate-text`)。
比べる欄と最小の長さは `duplicate-text` と同じです。よく似た文章は関連位置として示します (21 か所以上あるときは、よく似た文章ごとの最初の1か所。メッセージに全部の数を示します)。

## なぜ
前の行や前回の計画の文章をコピーして、施策名や数字だけ書き換えた評価は、実際の評価を反映していないことがあります。

## 例
```plan
施策 2-1-2 魅力ある市街地の整備 {
  全体評価: B
  代表課: 区画整理課
  展開 伊勢崎駅周辺の整備 {
    成果: 伊勢崎駅周辺の土地区画整理事業で道路と公園の工事を進めた。
    課題: 伊勢崎駅周辺土地区画整理事業の効率的な執行と早期完了が望まれる。財源確保と事業の長期化が課題。
    定性評価: 中
  }
  展開 三和地区の整備 {
    成果: 三和地区の土地区画整理事業で建物の移転補償を進めた。
    # 地区名だけ書き換えたコピー
    課題: 三和土地区画整理事業の効率的な執行と早期完了が望まれる。財源確保と事業の長期化が課題。
    定性評価: 中
  }
}
```
設定: `[duplicates] similarity` (0〜1)。",
    doc_en: "## What it does
Reports prose that differs from prose elsewhere in only a few characters (by default: similarity
85% or more; exact copies are `duplicate-text`). Compared fields and the minimum length are those
of `duplicate-text`. The similar texts are listed as related locations (when there are more than 20:
the first place of each; the message gives the number in all).

## Why
An evaluation copied from the row above (or from the last plan) with only a name or a number
changed may not reflect a real evaluation.

## Example
```plan
施策 2-1-2 魅力ある市街地の整備 {
  全体評価: B
  代表課: 区画整理課
  展開 伊勢崎駅周辺の整備 {
    成果: 伊勢崎駅周辺の土地区画整理事業で道路と公園の工事を進めた。
    課題: 伊勢崎駅周辺土地区画整理事業の効率的な執行と早期完了が望まれる。財源確保と事業の長期化が課題。
    定性評価: 中
  }
  展開 三和地区の整備 {
    成果: 三和地区の土地区画整理事業で建物の移転補償を進めた。
    # a copy with only the district's name changed
    課題: 三和土地区画整理事業の効率的な執行と早期完了が望まれる。財源確保と事業の長期化が課題。
    定性評価: 中
  }
}
```
Setting: `[duplicates] similarity` (0–1).",
    fixes: &[],
    in_spec: true,
    settings: &["[duplicates] fields", "[duplicates] min-length", "[duplicates] similarity"],
    scope: super::Scope::Workspace,
};

const HASHES: usize = crate::model::prose::FINGERPRINT_LEN;
const BANDS: usize = 16;
const ROWS: usize = HASHES / BANDS;
const SHINGLE: usize = 3;
/// How many earlier members of a bucket each text is paired with.
const WINDOW: usize = 4;
/// How many candidates per text are compared exactly, best estimates first.
const VERIFIED_PER_TEXT: usize = 8;
/// Texts longer than this are compared by their MinHash estimate, not by
/// edit distance (which is quadratic).
const EXACT_COMPARE_LIMIT: usize = 2000;

pub fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let units = prose_units(ctx);
    // Distinct texts, each with its occurrences (exact copies are one text).
    let mut distinct: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut seen: HashMap<&str, usize, Xxh3DefaultBuilder> = HashMap::with_capacity_and_hasher(units.len(), Xxh3DefaultBuilder);
    for (i, unit) in units.iter().enumerate() {
        match seen.get(unit.normalized) {
            Some(&d) => distinct[d].1.push(i),
            None => {
                seen.insert(unit.normalized, distinct.len());
                distinct.push((unit.normalized, vec![i]));
            }
        }
    }
    drop(seen);
    // Each distinct text's fingerprint, on every core. Kept with the
    // document: unchanged files are not hashed again.
    let fingerprint = |(_, occurrences): &(&str, Vec<usize>)| units[occurrences[0]].prose.fingerprint(signature_of);
    // In parallel only when there is enough of them to share (a city's
    // sheet has a few thousand texts, hashed in a millisecond).
    let signatures: Vec<&[u16; HASHES]> = if distinct.len() >= 8192 {
        use rayon::prelude::*;
        distinct.par_iter().map(fingerprint).collect()
    } else {
        distinct.iter().map(fingerprint).collect()
    };
    // Band by band, each a pass over the texts in order: a text meets the
    // few latest earlier members of its bucket (a window keeps huge buckets
    // of boilerplate linear while every text still gets compared). Buckets
    // are chains through `previous` (bucket key → its latest text in
    // `latest`). One band's buckets fit in the cache, where all sixteen
    // bands' at once do not.
    const NONE: u32 = u32::MAX;
    let n = signatures.len();
    let mut met: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut latest: HashMap<u64, u32, BuildHasherDefault<KeyHasher>> = HashMap::with_capacity_and_hasher(n, Default::default());
    let mut previous: Vec<u32> = vec![NONE; n];
    // One band's bucket keys at a time (8 bytes per text, not 8 per band).
    let mut keys: Vec<u64> = vec![0; n];
    for band in 0..BANDS {
        latest.clear();
        for (key, sig) in keys.iter_mut().zip(&signatures) {
            *key = mix(band_hash(&sig[band * ROWS..(band + 1) * ROWS]) ^ SEEDS[band]);
        }
        for (b, &key) in keys.iter().enumerate() {
            let mut at = latest.insert(key, b as u32).unwrap_or(NONE);
            previous[b] = at;
            for _ in 0..WINDOW {
                if at == NONE {
                    break;
                }
                met[b].push(at);
                at = previous[at as usize];
            }
        }
    }
    let mut similar_to: BTreeMap<usize, Vec<(usize, f64)>> = BTreeMap::new();
    for (b, (&sig, earlier)) in signatures.iter().zip(&mut met).enumerate() {
        if earlier.is_empty() {
            continue;
        }
        // A candidate appears once per band bucket it shares with `b`: the
        // more bands, the more similar (in expectation). The few that share
        // the most are checked further, so that a text in large buckets of
        // boilerplate costs a bounded amount.
        earlier.sort_unstable();
        let mut shared: Vec<(usize, usize)> = earlier.chunk_by(|x, y| x == y).map(|run| (run.len(), run[0] as usize)).collect();
        shared.sort_unstable_by(|x, y| y.cmp(x));
        shared.truncate(VERIFIED_PER_TEXT);
        // The signatures estimate the 3-gram Jaccard similarity for free;
        // texts a few characters apart agree on well over half of them.
        let mut ranked = shared.into_iter().map(|(_, a)| a).filter(|&a| signatures[a].iter().zip(sig).filter(|(x, y)| x == y).count() * 2 >= HASHES).peekable();
        if ranked.peek().is_none() {
            continue;
        }
        let threshold = ctx.config(units[distinct[b].1[0]].file).duplicates.similarity;
        // Comparisons are remembered with the later text's document: a
        // re-check compares only what changed. Characters are collected
        // only for the few texts compared exactly.
        let prose = units[distinct[b].1[0]].prose;
        let text: OnceCell<Vec<char>> = OnceCell::new();
        let compare: OnceCell<Comparison<'_>> = OnceCell::new();
        for a in ranked {
            let other = units[distinct[a].1[0]].prose;
            let score = prose.compared(other, threshold.to_bits(), || {
                let compare = compare.get_or_init(|| Comparison::new(text.get_or_init(|| distinct[b].0.chars().collect()), threshold));
                let other: Vec<char> = distinct[a].0.chars().collect();
                compare.similarity(&other, signatures[a], sig)
            });
            if let Some(score) = score
                && score < 1.0
            {
                similar_to.entry(b).or_default().push((a, score));
            }
        }
    }
    for (later, mut earlier) in similar_to {
        earlier.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        let (best, best_score) = earlier[0];
        let best_unit = &units[distinct[best].1[0]];
        let percent = (best_score * 100.0).floor() as u32;
        // Every similar place, best first, when there are at most
        // MAX_RELATED; else the first place of each similar text (at most
        // VERIFIED_PER_TEXT): 400 copies of a text and 400 of a near copy
        // must not make 160,000 related places. The message says how many
        // there are in all.
        let total: usize = earlier.iter().map(|&(d, _)| distinct[d].1.len()).sum();
        let per_text = if total > MAX_RELATED { 1 } else { MAX_RELATED };
        let (more_ja, more_en) = if total > MAX_RELATED {
            (format!(" (よく似た文章は全部で {total} か所、関連位置にはそれぞれの最初の1か所)"), format!(" ({total} similar texts in all; the first of each listed as related)"))
        } else {
            (String::new(), String::new())
        };
        for &occurrence in &distinct[later].1 {
            let unit: &ProseUnit = &units[occurrence];
            let related = earlier
                .iter()
                .flat_map(|&(d, score)| distinct[d].1.iter().take(per_text).map(move |&i| (i, score)))
                .take(MAX_RELATED)
                .map(|(i, score)| {
                    let p = (score * 100.0).floor() as u32;
                    Related {
                        file: units[i].file,
                        span: units[i].span,
                        message: msg!(ctx.lang, format!("よく似た文章 ({p}%): {}", describe_unit(ctx, &units[i])), format!("similar text ({p}%): {}", describe_unit(ctx, &units[i]))),
                    }
                })
                .collect();
            let other = describe_unit(ctx, best_unit);
            out.push(
                Diagnostic::new(
                    &RULE,
                    unit.file,
                    unit.span,
                    msg!(ctx.lang,
                        format!("この{}は {other} とほぼ同じ文章です (類似度 {percent}%)。コピーして一部だけ直した可能性があります{more_ja}", unit.field_name),
                        format!("this {} is nearly the same as {other} ({percent}% similar); it may be a copy that was only partly edited{more_en}", unit.field_name),
                    ),
                )
                .with_related(related),
            );
        }
    }
}

/// A one-permutation MinHash signature: each 3-gram is hashed once and
/// lands in one of `HASHES` bins by its top bits; a bin keeps its smallest
/// hash. Empty bins borrow from the next non-empty one (densification), so
/// that short texts still have full signatures. One hash per 3-gram keeps
/// this linear with a small constant.
///
/// Each bin keeps the top 16 bits of its minimum (b-bit MinHash: the
/// minimum of the truncated values is the truncated minimum): 128 bytes per
/// text instead of 512. Two different minima agree by chance once in 2¹⁶,
/// which moves the similarity estimate by about 1/65,536, far below its own
/// error (1/√64); band keys are 4 × 16 = 64 bits, as before.
fn signature_of(normalized: &str) -> [u16; HASHES] {
    let full = signature(&normalized.chars().collect::<Vec<char>>());
    let mut sig = [0u16; HASHES];
    for (short, long) in sig.iter_mut().zip(full) {
        // A bin's value and a densified one are both a word whose top bits count.
        *short = (long >> 48) as u16;
    }
    sig
}

fn signature(chars: &[char]) -> [u64; HASHES] {
    let mut sig = [u64::MAX; HASHES];
    let n = chars.len().saturating_sub(SHINGLE - 1).max(1);
    for start in 0..n {
        let end = (start + SHINGLE).min(chars.len());
        // A char is 21 bits: three pack into one u64 exactly, so the hash
        // of a 3-gram is one mix of one word.
        let packed = chars[start..end].iter().fold(0u64, |k, &c| k << 21 | c as u64);
        let h = mix(packed ^ 0x9e37_79b9_7f4a_7c15);
        let bin = (h >> (64 - HASHES.trailing_zeros())) as usize;
        // The bits below the bin's, at the top of the word (so that the
        // top 32 bits kept are the most significant of them).
        let value = h << HASHES.trailing_zeros();
        if value < sig[bin] {
            sig[bin] = value;
        }
    }
    if sig.iter().all(|&v| v == u64::MAX) {
        return sig;
    }
    let filled = sig;
    for i in 0..HASHES {
        if filled[i] == u64::MAX {
            let mut j = (i + 1) % HASHES;
            let mut steps = 1u64;
            while filled[j] == u64::MAX {
                j = (j + 1) % HASHES;
                steps += 1;
            }
            sig[i] = mix(filled[j] ^ SEEDS[i].wrapping_mul(steps));
        }
    }
    sig
}

fn mix(mut x: u64) -> u64 {
    // splitmix64's finaliser
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

static SEEDS: [u64; HASHES] = {
    let mut seeds = [0u64; HASHES];
    let mut i = 0;
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    while i < HASHES {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        seeds[i] = state;
        i += 1;
    }
    seeds
};

fn band_hash(rows: &[u16]) -> u64 {
    rows.iter().fold(0xcbf2_9ce4_8422_2325, |acc, &r| mix(acc ^ u64::from(r)))
}

/// 1 − normalised edit distance for texts of manageable length; the MinHash
/// Jaccard estimate for longer ones.
/// One text compared with several earlier ones: its edit-distance pattern
/// is built once.
struct Comparison<'a> {
    text: &'a [char],
    threshold: f64,
    /// Only for texts short enough to compare exactly.
    pattern: Option<rapidfuzz::distance::levenshtein::BatchComparator<char>>,
}

impl<'a> Comparison<'a> {
    fn new(text: &'a [char], threshold: f64) -> Self {
        let pattern = (text.len() <= EXACT_COMPARE_LIMIT).then(|| rapidfuzz::distance::levenshtein::BatchComparator::new(text.iter().copied()));
        Comparison { text, threshold, pattern }
    }

    /// The similarity of `other` to the text (1 − edit distance / longer
    /// length), when it reaches the threshold.
    fn similarity(&self, other: &[char], other_signature: &[u16; HASHES], signature: &[u16; HASHES]) -> Option<f64> {
        let longer = self.text.len().max(other.len());
        if longer == 0 {
            return Some(1.0);
        }
        // The length difference bounds the similarity from above.
        let bound = 1.0 - (self.text.len().abs_diff(other.len()) as f64) / longer as f64;
        if bound < self.threshold {
            return None;
        }
        let score = match &self.pattern {
            Some(pattern) if other.len() <= EXACT_COMPARE_LIMIT => {
                // Bit-parallel (Myers/Hyyrö), stopping once the distance
                // exceeds what the threshold allows.
                let allowed = ((1.0 - self.threshold) * longer as f64).floor() as usize;
                let distance = pattern.distance_with_args(other.iter().copied(), &rapidfuzz::distance::levenshtein::Args::default().score_cutoff(allowed))?;
                1.0 - distance as f64 / longer as f64
            }
            _ => other_signature.iter().zip(signature).filter(|(x, y)| x == y).count() as f64 / HASHES as f64,
        };
        (score >= self.threshold).then_some(score)
    }
}

/// Bucket keys are already well-mixed hashes: the map uses them as they are.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0 ^ b as u64);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Lang;

    #[test]
    fn finds_a_planted_near_copy_among_thousands_of_texts() {
        let mut text = plancheck_generate::plan(7, 300_000);
        let original = "市民が安心・安全に利用できる健康づくりや子育て支援の拠点として新保健センターの建設を進めている。";
        let edited = "市民が安心・安全に利用できる健康づくりや子育て支援の拠点として新しい保健センターの建設を進めた。";
        for (id, result) in [("9-9-1", original), ("9-9-2", edited)] {
            text.push_str(&format!("施策 {id} x {{\n  全体評価: A\n  代表課: 課\n  展開 y {{\n    成果: {result}\n    定性評価: 中\n  }}\n  定性評価: 中\n}}\n"));
        }
        let analysis = crate::check_text("big.plan", &text, Lang::Ja);
        let doc = &analysis.workspace.docs[0];
        let at = text.find(edited).unwrap();
        let found = analysis.diagnostics.iter().find(|d| d.rule.name == "near-duplicate-text" && d.span.start == at);
        let found = found.expect("the planted near copy is reported");
        assert!(found.related.iter().any(|r| doc.text[r.span.start..r.span.end] == *original));
    }
}
