//! Throughput of parsing and checking generated plans of 1 MB and 10 MB
//! (`cargo bench --bench check`): tree-sitter parse alone, model build, and
//! the whole check, in bytes per second, so we see how cost grows.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use plancheck::config::ResolvedConfig;
use plancheck::diagnostics::Lang;
use plancheck::model::{Document, Workspace};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan");
    group.sample_size(10).measurement_time(Duration::from_secs(8)).warm_up_time(Duration::from_secs(1));
    for (label, size) in [("1MB", 1_000_000), ("10MB", 10_000_000)] {
        let text = plancheck_generate::plan(42, size);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("parse", label), &text, |b, text| b.iter(|| black_box(plancheck::syntax::parse(text))));
        group.bench_with_input(BenchmarkId::new("model", label), &text, |b, text| b.iter(|| black_box(Document::parse("bench.plan", text.clone()))));
        group.bench_with_input(BenchmarkId::new("check", label), &text, |b, text| {
            b.iter(|| {
                let ws = Workspace::new(vec![Document::parse("bench.plan", text.clone())]);
                let configs = vec![Arc::new(ResolvedConfig::default())];
                black_box(plancheck::rules::check_workspace(&ws, &configs, Lang::Ja))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
