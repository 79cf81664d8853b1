// Every user-visible string of the page in English, the language choice, on-demand loading of the other
// languages (the Chinese table is strings-zh.mjs) and a helper that fills [data-i18n] elements. Strings
// are plain text (no markup: they reach the DOM through textContent only); live numbers enter through
// {name} placeholders that t() fills. The "words" follow the source essay's argument and state its limits;
// each paragraph has its claim id (shared/claims.md), tag and source under separate keys (see `paragraphs`).
// Formulas live in math.mjs as MathML specs.
// Contract for other languages: t() is synchronous and reads only loaded tables, so every caller awaits
// loadLanguage(lang) before rendering text in lang. t() for a known language not loaded yet reads English
// and warns once on the console (e2e tests fail on console warnings), so a missing await is loud, not a
// page silently left in English. English is always loaded: it is the fallback for a key missing elsewhere.
import { patternWord } from '../state/pattern-registry.mjs';

// Keys present in en only, shown in English in the Chinese page on purpose (none at present).
export const allowedFallbacks = Object.freeze([]);

const en = {
  // Page
  'app.title': 'attnrank: what "full rank" means for an attention matrix',
  'app.lede': 'Is a causal (lower-triangular) attention matrix more expressive than a bidirectional one because it is always full rank? Change the numbers and see which notion of rank says what.',
  'app.version': 'engine {version}',
  'intro.question': 'The essay this page follows (after Su Jianlin, 2023) asks why today\'s large language models are decoder-only. Part of its answer is about rank: a bidirectional attention matrix is built from an n × d product and may be low rank, while a causal one is triangular with a positive diagonal and therefore full rank. The figures below compute every statistic in the browser, with the same C++ core as the command-line tool.',

  // Controls
  'control.n': 'n (tokens)',
  'control.d': 'd (head dimension)',
  'control.scale': 'logit scale s',
  'control.seed': 'seed',
  'control.prefix': 'prefix length p',
  'control.window': 'window w',
  'control.precision': 'precision',
  'control.rope': 'RoPE on Q and K',
  'control.repeat': 'repeated tokens (period r, 0 = none)',
  'control.kind': 'attention kind',
  'control.feature': 'feature map φ',
  'control.features': 'features m',
  'control.colour': 'log colour (tiny weights visible)',
  'control.windows': 'show the window patterns',
  'control.lang': 'language',
  'control.copy_link': 'Copy link',
  'control.controls': 'Parameters',
  'control.presets': 'Presets',
  'hint.n': 'rows and columns of A',
  'hint.d': 'columns of Q and K: the rank bound of Q Kᵀ',
  'hint.scale': 'inverse temperature: S = s Q Kᵀ / √d',
  'hint.seed': 'the same seed gives the same Q and K everywhere',
  'hint.prefix': 'the first p tokens see each other (混合 / prefix LM); empty = n / 2',
  'hint.window': 'local patterns: a token sees w − 1 neighbours on each allowed side',
  'hint.repeat': 'token i copies token i mod r, so rows of Q and K repeat',
  'hint.features': 'random features of the Performer map (favor)',
  'precision.f64': 'double (f64)',
  'precision.f32': 'single (f32)',
  'kind.softmax': 'softmax',
  'kind.linear': 'linear',
  'feature.elu1': 'elu(x) + 1',
  'feature.relu': 'relu(x)',
  'feature.exp': 'exp(x)',
  'feature.favor': 'Performer random features (favor)',
  'lang.en': 'English',
  'lang.zh': '中文',
  'preset.bert': 'BERT-base head (n = 512, d = 64)',
  'preset.small': 'small and clear (n = 32, d = 4)',
  'preset.hot': 'high temperature (s = 0.25)',

  // Export, progress, loading
  'export.png': 'PNG',
  'export.png_label': 'Save this figure as PNG',
  'section.depth': 'Depth: rank collapse',
  'section.depth.intro': 'A model stacks many attention layers. Here X_0 (n x d) is random and each of L layers applies random attention under the pattern (weights from the seed). Pure attention averages the tokens until they agree: the relative residual r_l = ||X_l - 1 mean(X_l)||_F / ||X_l||_F falls towards 0, doubly exponentially fast in the bound of Dong, Cordonnier & Loukas (2021). Wu et al. (2024) prove an exponential bound for every connected mask, bidirectional and causal alike, and show that local (window) masks slow the collapse. That the bidirectional curve here falls far faster than the causal ones is what this tool measures on random weights, not a theorem of either paper. With a skip connection, Dong et al.\'s bound no longer forces the collapse and the curves fall more slowly, but they do not stop: choose attention + skip and read the last of the L layers, where the bidirectional residual of this random model still reaches rounding level. The heatmap is the product of the causal layers: row l is the weight each token gives token 0, tending to 1 as every token comes to copy token 0.',
  'control.layers': 'layers L',
  'control.depth_variant': 'layer',
  'control.depth_metric': 'metric',
  'depth.variant.pure': 'attention only',
  'depth.variant.skip': 'attention + skip',
  'depth.variant.mlp': 'attention + MLP',
  'depth.variant.layernorm': 'attention + LayerNorm',
  'depth.variant.skip+mlp': 'attention + skip + MLP',
  'depth.variant.skip+layernorm': 'attention + skip + LayerNorm',
  'depth.variant.mlp+layernorm': 'attention + MLP + LayerNorm',
  'depth.variant.skip+mlp+layernorm': 'attention + skip + MLP + LayerNorm',
  'depth.metric.relative_residual': 'relative residual of X_l',
  'depth.metric.composite_residual': 'composite l1,l∞ residual of X_l',
  'depth.metric.path_residual': 'residual of A_l ··· A_1',
  'depth.metric.random_path_residual': 'residual, random A_l product',
  'depth.chart_label': 'residual against layer for every pattern',
  'depth.heatmap_label': 'weight of token 0 in every token, layer by layer, causal product',
  'depth.heatmap_caption': 'Causal (forward) product over depth: rows are layers 0 to L (top to bottom), columns tokens; colour is the weight of token 0, from 0 (dark) to 1 (yellow).',
  'depth.on_demand': 'n is large: press Run to compute the depth view.',
  'depth.computing': 'Computing {done} of {total} patterns…',
  'chart.layer': 'layer l',
  'pattern.forward_backward': 'forward/backward alternating',
  'pattern.forward_backward.rule': 'odd layers j ≤ i, even layers j ≥ i',
  'section.heads': 'Forward and backward heads',
  'section.heads.intro': 'The essay proposes mixing directions: half the heads forward (lower triangular), half backward (upper triangular). Each head is still triangular with a positive diagonal, so each is structurally full rank, and two layers reach everywhere: every entry of A_bwd A_fwd is positive. A third option puts both triangles inside one head, reading the past and the future through different halves of its head dimension. Below: the parameter and per-token inference cost of a decoder-only model (GPT), a prefix LM (UniLM) and an encoder-decoder (T5) of equal width and depth; the encoder-decoder has about twice the parameters for a similar cost per token.',
  'control.heads': 'heads H',
  'heads.panel.forward': 'first forward head',
  'heads.panel.backward': 'first backward head',
  'heads.panel.product': 'A_bwd · A_fwd',
  'heads.panel.split': 'split head',
  'heads.head': 'head',
  'heads.product': 'product A_bwd A_fwd',
  'heads.split': 'split head',
  'heads.output': 'concatenated output',
  'heads.matrix': 'matrix',
  'heads.triangular': 'triangular',
  'heads.min_diagonal': 'smallest diagonal entry',
  'heads.min_entry': 'smallest entry (all > 0?)',
  // Claims view
  'lang.code': 'en',
  'section.claims': 'The essay\'s claims, checked live',
  'section.claims.intro': 'Each claim of the essay and its FAQ, with its tag and source. Where the core can compute it, the verdict below is for the current parameters, with the numbers behind it; the claims tagged exact are also checked across many random inputs by the named GoogleTest.',
  'claims.status.holds': 'holds',
  'claims.status.fails': 'fails',
  'claims.status.partly': 'partly',
  'claims.status.no_verdict': 'no verdict',
  'claims.part_holds': 'this check holds for the current parameters',
  'claims.part_fails': 'this check fails for the current parameters',
  'claims.source': 'Source: {source}',
  'claims.backed_by': 'test:',
  'claims.no_test': 'none (not an exact claim)',
  'claims.computing': 'Computing the verdicts…',
  'claims.on_demand': 'n is large: press Run to compute the verdicts.',
  'heads.on_demand': 'n is large: press Run to compute the heads view.',
  'heads.computing': 'Computing…',
  'arch.title': 'Decoder-only, prefix LM and encoder-decoder at equal width and depth',
  'arch.gpt': 'GPT (decoder-only)',
  'arch.unilm': 'UniLM (prefix LM)',
  'arch.t5': 'T5 (encoder-decoder)',
  'arch.architecture': 'architecture',
  'arch.parameters': 'parameters',
  'arch.layer_parameters': 'of which in layers',
  'arch.flops_per_token': 'inference FLOPs per token',
  'arch.attention_share': 'attention share',
  'arch.config': 'd_model = {d}, L = {L} layers (T5: {L} encoder + {L} decoder), H = {H}, d_ff = {dff}, vocabulary {V}; {nin} input and {nout} generated tokens with a key/value cache; tied embeddings, no biases, 2 FLOPs per multiply-add (docs/depth.md).',
  'export.embed': 'Embed',
  'export.embed_label': 'Copy the attn-figure element that shows this figure in a blog post',
  'status.embed_copied': 'Copied: {snippet}',
  'status.embed_shown': 'Copy this into your post: {snippet}',
  'export.csv': 'CSV',
  'export.csv_label': 'Statistics and spectra as CSV',
  'export.json': 'JSON',
  'export.json_label': 'Statistics and spectra as JSON',
  'export.npy': '.npy',
  'export.npy_label': 'The matrix A as a .npy file',
  'action.cancel': 'Cancel',
  'action.run': 'Run',
  'progress.label': 'progress',
  'progress.count': '{done} of {total}',
  'load.title': 'Your own Q and K',
  'load.files': 'Load files',
  'load.q': 'Q (n × d)',
  'load.k': 'K (n × d)',
  'load.drop': 'Drop .npy (float32 or float64) or .json files here, or pick them. They never leave this browser.',
  'load.loaded': '{label}: {rows} × {cols}',
  'load.shape_mismatch': 'Q is {qRows} × {qCols} but K is {kRows} × {kCols}: both must be n × d with the same n and d.',
  'load.clear': 'Back to seeded Q and K',

  // Sections
  'section.patterns': 'Four attention patterns, one pair Q, K',
  'section.patterns.intro': 'The same Q and K under each mask. Masked entries are exactly 0 and drawn in grey; the outline marks the allowed region.',
  'section.spectra': 'Singular values',
  'section.spectra.intro': 'All singular values of each pattern on a log scale. Below the dotted line, the precision the analysis ran in (f64 or f32) can no longer tell a singular value from zero: those values are rounding noise and are drawn grey.',
  'section.linear': 'Linear attention against softmax',
  'section.linear.intro': 'Softmax and linear attention, bidirectional and causal, on the same inputs. The line marks the rank bound d (or m features) of bidirectional linear attention.',
  'section.raises_rank': 'Softmax raises rank',
  'section.raises_rank.intro': 'The logits have rank at most d; the softmax of the same logits usually has more. How much more depends on the logit scale s.',
  'section.sweeps': 'Sweeps',
  'section.sweeps.intro': 'Any statistic against n, d or the logit scale, for every pattern.',
  'section.load': 'Load your own Q, K',
  'section.load.intro': 'Q and K exported from a real model (for instance one head of one layer), as .npy or JSON arrays of n rows and d columns.',
  'section.words': 'What the numbers say',
  'sweep.over': 'sweep over',
  'sweep.values': 'values (comma-separated)',
  'sweep.stat': 'statistic',

  // Patterns (design.md section 2)
  'pattern.bidirectional': 'bidirectional',
  'pattern.prefix': 'prefix (mixed)',
  'pattern.forward': 'forward (causal)',
  'pattern.backward': 'backward',
  'pattern.window': 'local (window)',
  'pattern.forward_window': 'causal local (window)',
  'pattern.custom': 'custom mask',
  'pattern.bidirectional.rule': 'every j',
  'pattern.prefix.rule': 'j ≤ p − 1 or j ≤ i',
  'pattern.forward.rule': 'j ≤ i (lower triangular)',
  'pattern.backward.rule': 'j ≥ i (upper triangular)',
  'pattern.window.rule': '|i − j| ≤ w − 1',
  'pattern.forward_window.rule': '0 ≤ i − j ≤ w − 1',
  'pattern.bidirectional.used_by': 'BERT, the T5 encoder',
  'pattern.prefix.used_by': 'UniLM, prefix language models',
  'pattern.forward.used_by': 'GPT, PaLM',
  'pattern.backward.used_by': 'backward heads or layers',
  'pattern.window.used_by': 'sliding-window attention',
  'pattern.forward_window.used_by': 'causal sliding-window attention',
  'convention.backward': 'Convention: query i is row i, key j is column j. Backward means j ≥ i: each token sees itself and the tokens after it, so A is upper triangular, as the essay\'s text says. The essay\'s figure draws the backward panel with its rows in reverse order.',

  // Statistics (design.md section 3)
  'stat.numerical_rank_f64': 'numerical rank (f64)',
  'stat.numerical_rank_f64.explain': 'How many singular values exceed σ₁ · n · ε with ε = 2⁻⁵² (double precision), the tolerance of numpy\'s matrix_rank: the directions double precision can tell apart.',
  'stat.numerical_rank_f32': 'numerical rank (f32)',
  'stat.numerical_rank_f32.explain': 'The same count with ε = 2⁻²³ (single precision, as on most GPUs): a coarser resolution, so usually a smaller rank.',
  'stat.effective_rank': 'effective rank',
  'stat.effective_rank.explain': 'exp(−Σ pᵢ log pᵢ) with pᵢ = σᵢ / Σσ (Roy & Vetterli 2007): n when all singular values are equal, near 1 when one dominates. Not an integer.',
  'stat.stable_rank': 'stable rank',
  'stat.stable_rank.explain': '‖A‖²_F / σ₁²: how many singular values as large as σ₁ would hold all of A\'s energy. Never above the rank; insensitive to tiny singular values.',
  'stat.energy_rank_99': '99% energy rank',
  'stat.energy_rank_99.explain': 'The fewest singular values whose squares add up to 99% of Σσᵢ².',
  'stat.sigma_max': 'σ_max',
  'stat.sigma_max.explain': 'The largest singular value σ₁ = ‖A‖₂. At least 1 for an attention matrix, whose rows sum to 1.',
  'stat.sigma_min': 'σ_min',
  'stat.sigma_min.explain': 'The smallest singular value σₙ: the 2-norm distance from A to the nearest singular matrix.',
  'stat.condition_number': 'condition number κ',
  'stat.condition_number.explain': 'κ = σ₁ / σₙ: how much A can amplify relative errors. "≥" marks a lower bound: σₙ is at or below the accuracy floor σ₁ · n · ε, where the computed value is rounding noise, so only σ₁ / floor is known.',
  'stat.log_abs_det': 'log |det A|',
  'stat.log_abs_det.explain': 'Natural logarithm of |det A|. For a triangular A exactly Σ log |Aᵢᵢ|, summed rather than multiplied so it never underflows. "Not resolved" when A is not triangular and numerically singular: the determinant is then rounding noise.',
  'stat.det_sign': 'sign of det A',
  'stat.structurally_full_rank': 'structurally full rank',
  'stat.structurally_full_rank.explain': 'A is triangular and every diagonal entry is positive, so det A = Π Aᵢᵢ > 0: full rank in exact arithmetic (the essay\'s argument), whatever the floating-point numbers say.',
  'stat.logits_rank': 'rank of the logits',
  'stat.logits_rank.explain': 'Numerical rank of S = s Q Kᵀ / √d: at most d, because Q and K have d columns.',
  'stat.singular_values': 'singular values',
  'value.yes': 'yes',
  'value.no': 'no',
  'value.not_resolved': 'not resolved',
  'value.lower_bound': '≥ {value}',
  'value.det_zero': 'det A = 0',
  'value.not_applicable': 'n/a',
  'value.not_at_f32': 'n/a at f32',
  'value.rank_at_f32': '{rank} (at f32 tolerance)',
  'value.not_at_f32.explain': 'This analysis ran in single precision (f32): its singular values are only resolved to about σ₁ · n · 2⁻²³, far above the f64 tolerance σ₁ · n · 2⁻⁵², so it cannot give an f64 rank.',
  'value.upper_bound.explain': 'σ_min is at or below the accuracy floor σ₁ · n · ε of this computation: the computed value is rounding noise, so only an upper bound, the floor, is known.',
  'chart.below_floor': 'below the accuracy floor (rounding noise)',
  'sweep.not_at_f32': 'No values: this sweep ran in f32, which cannot resolve the f64 tolerance, so numerical rank (f64) is n/a at f32. Pick numerical rank (f32), or set the precision to f64.',
  'sweep.upper_bounds': 'Grey points are upper bounds, not values: there σ_min is at or below the accuracy floor σ₁ · n · ε, and the point is the floor.',
  'sweep.lower_bounds': 'Grey points are lower bounds, not values: there σₙ is at or below the accuracy floor σ₁ · n · ε, and the point is σ₁ / floor.',

  // Charts
  'chart.index': 'index i',
  'chart.singular_value': 'singular value σᵢ',
  'chart.tol_f64': 'f64 tolerance σ₁ n ε',
  'chart.tol_f32': 'f32 tolerance σ₁ n ε',
  'chart.rank_bound': 'rank bound {bound}',
  'chart.scale': 'logit scale s',
  'chart.rank': 'rank',
  'chart.logits': 'logits S',
  'chart.softmax': 'softmax(S)',
  'chart.colour_scale': 'colour scale',

  // Status and errors
  'status.loading': 'Loading the engine…',
  'status.computing': 'Computing…',
  'status.done': 'Done in {ms} ms.',
  'status.cancelled': 'Cancelled.',
  'status.kept_last_good': 'Showing the last good result.',
  // Engine failures (the worker is replaced by then; docs/web-architecture.md)
  'engine.crashed': 'The computation stopped (the engine worker crashed); the engine has been restarted: retry, or change a value.',
  'engine.timeout': 'The computation ran for {seconds} s, past the {limit} s time limit, and was stopped (the engine has been restarted): lower n (or d, the layers L, the heads H, the sweep values) and retry.',
  'action.retry': 'Retry',
  'status.link_copied': 'Link copied.',
  'status.copy_failed': 'Could not copy; the address bar holds the same link.',
  'error.invalid_argument': 'Invalid value: {message}',
  'error.invalid_file': 'Could not read the file: {message}',
  'error.too_large': 'Too large for this browser: {message}',
  'error.numerical_failure': 'The computation failed numerically: {message}',
  'error.internal': 'Internal error: {message}',
  'error.worker_crashed': 'The engine stopped unexpectedly and was restarted. Try again, perhaps with a smaller n.',
  'error.engine_failed': 'The engine could not start: {message}',
  'error.not_a_number': '{name}={value} is not a number',
  'error.json_shape': '{label}: expected a JSON array of n rows of d numbers each',

  // Claim tags
  'tag.exact': 'exact',
  'tag.exact.explain': 'a theorem: true for every input, checked by the core',
  'tag.numerical': 'numerical',
  'tag.numerical.explain': 'true or false depending on the parameters: see the live numbers',
  'tag.anecdotal': 'anecdotal',
  'tag.anecdotal.explain': 'reported from experiments without public numbers',
  'tag.conjecture': 'conjecture',
  'tag.conjecture.explain': 'a plausible guess, not established',
  'claim.label': 'claim {id}',
  'source.label': 'source: {source}',

  // Sources
  'source.su2023': 'Su Jianlin, "为什么现在的LLM都是Decoder-only的架构？" (Why are today\'s LLMs decoder-only?), kexue.fm, 2023',
  'source.su2021_performer': 'Su Jianlin, "Transformer升级之路：3、从Performer到线性Attention" (from Performer to linear attention), kexue.fm, 2021',
  'source.roy2007': 'Roy & Vetterli, "The effective rank: a measure of effective dimensionality", EUSIPCO 2007',
  'source.viswanath1998': 'Viswanath & Trefethen, "Condition numbers of random triangular matrices", SIAM J. Matrix Anal. Appl., 1998',
  'source.katharopoulos2020': 'Katharopoulos, Vyas, Pappas & Fleuret, "Transformers are RNNs: fast autoregressive transformers with linear attention", ICML 2020',
  'source.choromanski2021': 'Choromanski et al., "Rethinking attention with Performers", ICLR 2021',
  'source.dong2021': 'Dong, Cordonnier & Loukas, "Attention is not all you need: pure attention loses rank doubly exponentially with depth", ICML 2021',
  'source.wu2024': 'Wu, Ajorlou, Wang, Jegelka & Jadbabaie, "On the role of attention masks and LayerNorm in transformers", NeurIPS 2024',

  // The words: the essay's argument and its limits, with live numbers.
  'words.n_much_larger_than_d': 'Attention starts from logits S = s Q Kᵀ / √d, where Q and K are n × d. A product through d dimensions has rank at most d, and in practice n is much larger than d: a BERT-base head has d = 768 / 12 = 64 and reads n = 512 tokens. Here n = {n}, d = {d}, and the core finds rank S = {logitsRank}.',
  'words.n_much_larger_than_d.claim': 'C1, C2',
  'words.n_much_larger_than_d.tag': 'exact',
  'words.n_much_larger_than_d.source': 'source.su2023',
  'words.bidirectional_low_effective_rank': 'The essay blames a "low-rank problem" for bidirectional attention. Taken literally, the exact rank of the bidirectional softmax matrix is generically n, because the exponential breaks the rank-d structure; numerically it keeps {rank64} of {n} here. What is low is the effective rank, {effectiveRank} at s = {scale}: at small logit scale every row is close to uniform, so one direction carries most of the weight. Raise s and the effective rank grows.',
  'words.bidirectional_low_effective_rank.claim': 'C3',
  'words.bidirectional_low_effective_rank.tag': 'numerical',
  'words.bidirectional_low_effective_rank.source': 'source.su2023',
  'words.causal_full_rank': 'The forward matrix is lower triangular with a positive diagonal, so det A = Π Aᵢᵢ > 0: it is full rank. Here log |det A| = {logdet}. Yet {lost64} of its {n} singular values lie below double precision\'s resolution (numerical rank {rank64}) and {lost32} below single precision\'s.',
  'words.causal_full_rank.f32': 'The forward matrix is lower triangular with a positive diagonal, so det A = Π Aᵢᵢ > 0: it is full rank. Here log |det A| = {logdet}. Yet {lost32} of its {n} singular values lie below single precision\'s resolution (numerical rank {rank32} at f32 tolerance); this analysis ran in f32, so it cannot say how many double precision would resolve.',
  'words.causal_full_rank.claim': 'C4',
  'words.causal_full_rank.tag': 'exact',
  'words.causal_full_rank.source': 'source.su2023',
  'words.causal_ill_conditioned': 'Both statements can hold at once because a positive determinant says nothing about how close A is to a singular matrix. Random triangular matrices with normal entries are exponentially ill-conditioned: κ^(1/n) tends to 2, so κ grows like 2ⁿ (Viswanath & Trefethen 1998). A causal attention matrix is a different family, so that is only an analogy: how ill-conditioned it is depends on the logit scale and on the input. Here σ_min is {sigmaMin} (anything at or below σ₁ · n · ε is rounding noise, even an exact 0) and the condition number is {condition}: {consequence}',
  'words.causal_ill_conditioned.claim': 'C4',
  'words.causal_ill_conditioned.singular': 'at this scale, in floating point, the forward matrix behaves as if it had fewer than n independent rows.',
  'words.causal_ill_conditioned.resolved': 'at this scale σ_min stays above rounding level and the forward matrix keeps its full numerical rank; raise s and it loses it.',
  'words.causal_ill_conditioned.tag': 'numerical',
  'words.causal_ill_conditioned.source': 'source.viswanath1998',
  'words.det_misleading': 'The determinant is a poor gauge of rank in floating point. The uniform causal matrix (row i spreads its weight evenly over tokens 0..i) has det A = 1 / n!: n! overflows double precision at n = 171 and the running product of the 1 / i reaches 0 at n = 178 (at n = 39 in single precision), yet that matrix is well conditioned (κ∞ = 2n − 1). Read σ_min and κ instead: they measure the distance to singularity directly.',
  'words.det_misleading.claim': 'C17',
  'words.det_misleading.tag': 'numerical',
  'words.det_misleading.source': 'source.su2023',
  'words.full_rank_conjecture': 'That full rank means more expressive power is a conjecture, and the notions of rank disagree on which matrix wins. The forward matrix: algebraic rank {n}, numerical rank {forwardRank64}, effective rank {forwardEffective}. The bidirectional one: numerical rank {bidirectionalRank64}, effective rank {bidirectionalEffective}. Which of these a trained model can exploit is an open question.',
  'words.full_rank_conjecture.claim': 'C5',
  'words.full_rank_conjecture.tag': 'conjecture',
  'words.full_rank_conjecture.source': 'source.su2023',
  'words.linear_bidirectional_rank': 'Linear attention replaces exp by a feature map φ: A = D⁻¹ φ(Q) φ(K)ᵀ. Without a mask this is a product through {featureDim} dimensions, so its rank is at most {featureDim} for every n, in exact arithmetic. Here the numerical rank is {rank64} of {n}.',
  'words.linear_bidirectional_rank.claim': 'C6',
  'words.linear_bidirectional_rank.tag': 'exact',
  'words.linear_bidirectional_rank.source': 'source.katharopoulos2020',
  'words.linear_causal_full_rank': 'With the causal mask the same product becomes triangular, and its diagonal φ(qᵢ) · φ(kᵢ) is positive for elu + 1, exp or Performer features: full rank again, as for softmax (structurally full rank here: {structural}; numerical rank {rank64} of {n}). relu features can make a diagonal entry 0 and lose it.',
  'words.linear_causal_full_rank.claim': 'C7',
  'words.linear_causal_full_rank.tag': 'exact',
  'words.linear_causal_full_rank.source': 'source.katharopoulos2020',
  'words.softmax_raises_rank': 'Applying exp entry by entry to a rank-d matrix generally raises its rank: here rank S = {logitsRank} (d = {d}), while softmax(S) has numerical rank {rank64} and effective rank {effectiveRank} at s = {scale}. It raises rank, not necessarily to full: as s shrinks, the bidirectional softmax(S) tends to the rank-1 matrix whose entries are all 1 / n.',
  'words.softmax_raises_rank.claim': 'C8',
  'words.softmax_raises_rank.tag': 'numerical',
  'words.softmax_raises_rank.source': 'source.su2021_performer',
  'words.depth_collapse': 'One matrix is not a network. Dong, Cordonnier & Loukas (2021), whom the essay cites, prove that the outputs of stacked pure attention layers (no skip connections, no MLP) lose rank doubly exponentially with depth; with skip connections their bound no longer forces the collapse, which slows down but, in a random model deep enough, still reaches rounding level. Masks do not prevent it: Wu et al. (2024) prove that masked attention collapses at least exponentially for every connected mask, causal and bidirectional alike, and that local (window) masks slow it down. The depth view below shows it layer by layer, with and without skip connections.',
  'words.depth_collapse.claim': 'C3',
  'words.depth_collapse.tag': 'exact',
  'words.depth_collapse.source': 'source.dong2021',

  // Formula text (math.mjs)
  'math.allowed': 'allowed',
  'math.logits': 'logits',
  'math.softmax': 'masked softmax',
  'math.effective_rank': 'effective rank',
  'math.tolerance': 'rank tolerance',
  'math.determinant': 'determinant of a triangular matrix',
  // Layout labels of the explorer page.
    'controls.inputs': 'Inputs Q, K',
    'controls.attention': 'Attention',
    'controls.masks': 'Masks and display',
    'load.analyze': 'Analyze with these Q, K',
    'load.none': 'no file yet',
    'footer.about': 'Every number on this page is computed by the C++ core, compiled to WebAssembly and run in Web Workers.',
    'heatmap.label': 'attention matrix A, {pattern}: row i = query i, column j = key j',
    'sweep.on_demand': 'Large n: press Run to start the sweep.',
    'exports.label': 'Export',
    'linear.case': 'matrix',
    'raises.current': 'current s = {s}',
    'slider.scale': 'logit scale s (log₂ slider)',
    'slider.n': 'n (slider)',
};

export const enStrings = Object.freeze(en);
export const languages = Object.freeze(['en', 'zh']);

// The modules of the languages other than English, each exporting its table as <lang>Strings.
const kLanguageModules = Object.freeze({ zh: () => import('./strings-zh.mjs').then((module) => module.zhStrings) });
// The tables loaded so far ({ en } at first) and the loads in flight or done, by language.
const loadedTables = { en: enStrings };
const loads = new Map([['en', Promise.resolve()]]);
const warnedLanguages = new Set();

// Resolves once lang's table is loaded (at once for 'en'; each language is fetched once, and a failed
// fetch is forgotten so a later call tries again). Rejects for a language not in `languages`.
export function loadLanguage(lang) {
  if (!languages.includes(lang)) return Promise.reject(new Error(`loadLanguage: unknown language ${JSON.stringify(lang)}`));
  if (!loads.has(lang)) {
    const load = kLanguageModules[lang]().then((table) => { loadedTables[lang] = table; });
    load.catch(() => loads.delete(lang));
    loads.set(lang, load);
  }
  return loads.get(lang);
}

// Whether t(lang, ...) reads lang's own table now.
export function isLanguageLoaded(lang) {
  return lang in loadedTables;
}

// The paragraphs of the words, in the essay's order. Each key K has K.claim, K.tag (a tag id: exact,
// numerical, anecdotal, conjecture; shown through t(lang, 'tag.' + id)) and K.source (a source key).
export const paragraphs = Object.freeze([
  'words.n_much_larger_than_d',
  'words.bidirectional_low_effective_rank',
  'words.causal_full_rank',
  'words.causal_ill_conditioned',
  'words.det_misleading',
  'words.full_rank_conjecture',
  'words.linear_bidirectional_rank',
  'words.linear_causal_full_rank',
  'words.softmax_raises_rank',
  'words.depth_collapse',
]);

const kPlaceholder = /\{([A-Za-z0-9_]+)\}/g;

// The placeholder names of a string, in order of appearance (duplicates kept once).
export function placeholders(text) {
  return [...new Set([...text.matchAll(kPlaceholder)].map((match) => match[1]))];
}

// The string for key in lang with {name} placeholders replaced by String(params[name]). A key missing in
// zh falls back to en; an unknown key returns the key itself, and a placeholder without a param stays
// as {name}, so both are visible on the page rather than silently blank. A known language not loaded
// yet reads English with a one-time console warning (see the header: callers await loadLanguage first).
export function t(lang, key, params = {}) {
  if (languages.includes(lang) && !isLanguageLoaded(lang) && !warnedLanguages.has(lang)) {
    warnedLanguages.add(lang);
    console.warn(`strings: t('${lang}', '${key}') before loadLanguage('${lang}') resolved; showing English`);
  }
  return translate(loadedTables, lang, key, params);
}

// t() over any { en, zh } tables (exported for tests). A pattern's words missing from the tables
// ('pattern.<id>', '.rule', '.used_by') come from the core's pattern registry once it is installed.
export function translate(tables, lang, key, params = {}) {
  const text = tables[lang]?.[key] ?? patternWord(lang, key) ?? tables.en[key] ?? patternWord('en', key);
  if (text === undefined) return key;
  return text.replace(kPlaceholder, (whole, name) => (params[name] === undefined || params[name] === null ? whole : String(params[name])));
}

// The page language: the state's ('en' or 'zh') when set, else from the browser's language (a string
// such as 'zh-CN', or navigator.languages): any zh* -> 'zh', anything else -> 'en'.
export function pickLanguage(stateLang, navigatorLanguage) {
  if (languages.includes(stateLang)) return stateLang;
  const first = Array.isArray(navigatorLanguage) ? navigatorLanguage[0] : navigatorLanguage;
  return typeof first === 'string' && first.trim().toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

// Fills root's [data-i18n] elements (textContent), [data-i18n-aria] (aria-label), [data-i18n-title]
// (title) and [data-i18n-placeholder] (placeholder) from lang; root itself counts too. When root is a
// document, also sets <html lang> so the browser picks CJK fonts and hyphenation for the language.
export function applyStrings(root, lang) {
  const elements = (selector) => {
    const found = [...root.querySelectorAll(selector)];
    if (root.matches?.(selector)) found.unshift(root);
    return found;
  };
  for (const element of elements('[data-i18n]')) element.textContent = t(lang, element.dataset.i18n);
  for (const element of elements('[data-i18n-aria]')) element.setAttribute('aria-label', t(lang, element.dataset.i18nAria));
  for (const element of elements('[data-i18n-title]')) element.setAttribute('title', t(lang, element.dataset.i18nTitle));
  for (const element of elements('[data-i18n-placeholder]')) {
    element.setAttribute('placeholder', t(lang, element.dataset.i18nPlaceholder));
  }
  const html = root.documentElement ?? (root.tagName === 'HTML' ? root : null);
  if (html) html.setAttribute('lang', lang === 'zh' ? 'zh-CN' : 'en');
}
