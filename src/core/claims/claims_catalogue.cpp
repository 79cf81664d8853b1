// The text of the claims catalogue (see claims_catalogue.h). Tags and sources follow docs/claims.md;
// backing_test names must match TEST(...) names in tests/native/test_claims.cpp (a node test greps them).
#include "attnrank/claims/claims_catalogue.h"

namespace attnrank {

const char* claim_tag_name(ClaimTag tag) {
  switch (tag) {
    case ClaimTag::kExact: return "exact";
    case ClaimTag::kNumerical: return "numerical";
    case ClaimTag::kAnecdotal: return "anecdotal";
    case ClaimTag::kConjecture: return "conjecture";
  }
  return "conjecture";
}

namespace {

// Su Jianlin's post and its FAQ (kexue.fm 9529 and 9547, 2023): English titles are our translations.
constexpr const char* kSu2023En = "Su Jianlin, \"Why are today's LLMs decoder-only?\" (2023)";
constexpr const char* kSu2023Zh = "苏剑林《为什么现在的LLM都是Decoder-only的架构？》2023";
constexpr const char* kSu2023FaqEn = "Su Jianlin, FAQ to \"Why are today's LLMs decoder-only?\" (2023)";
constexpr const char* kSu2023FaqZh = "苏剑林《〈为什么现在的LLM都是Decoder-only的架构？〉FAQ》2023";

}  // namespace

const std::vector<ClaimEntry>& claim_catalogue() {
  static const std::vector<ClaimEntry> catalogue{
      {"C1", ClaimTag::kExact, "", "",
       "The logits Q K^T of an attention head (Q, K of size n x d) have rank at most d.",
       "一个注意力头的 logits Q K^T（Q、K 为 n x d）的秩不超过 d。", kSu2023En, kSu2023Zh,
       "ClaimBacking.C1LogitsRankAtMostHeadDim"},
      {"C2", ClaimTag::kNumerical, "a statement about typical configurations", "关于典型配置的陈述",
       "In practice n >> d, because d is the head size: BERT-base has d = 768 / 12 = 64 per head and n = 512.",
       "实际中 n 远大于 d，因为 d 是 head size：BERT-base 每个头 d = 768 / 12 = 64，而 n = 512。",
       "Su Jianlin 2023; Devlin et al. 2019 (BERT-base)", "苏剑林 2023；Devlin 等 2019（BERT-base）", ""},
      {"C3", ClaimTag::kNumerical, "", "",
       "Bidirectional softmax attention suffers from a low-rank problem that lowers its expressiveness.",
       "双向 softmax 注意力存在低秩问题，导致表达能力下降。",
       "Su Jianlin 2023, citing Dong, Cordonnier & Loukas, ICML 2021",
       "苏剑林 2023，引用 Dong、Cordonnier & Loukas，ICML 2021", ""},
      {"C4", ClaimTag::kExact, "exact as algebra, numerical in floating point", "代数上严格成立，浮点运算中是数值问题",
       "A causal attention matrix is lower triangular with a positive diagonal, so its determinant, the product "
       "of the diagonal, is positive: it is always full rank.",
       "因果注意力矩阵是对角线为正的下三角阵，行列式等于对角线之积，必为正数，所以它一定满秩。",
       "Su Jianlin 2023; conditioning, by analogy only: Viswanath & Trefethen 1998 (triangular matrices with "
       "Gaussian entries, a different family)",
       "苏剑林 2023；条件数仅作类比：Viswanath & Trefethen 1998（元素为高斯分布的三角阵，不是同一类矩阵）", "ClaimBacking.C4CausalDeterminantIsProductOfPositiveDiagonal"},
      {"C5", ClaimTag::kConjecture, "", "", "Full rank means stronger expressive power.",
       "满秩意味着理论上更强的表达能力。", kSu2023En, kSu2023Zh, ""},
      {"C6", ClaimTag::kExact, "", "",
       "Bidirectional linear attention, phi(Q) phi(K)^T normalised by rows, has rank at most d (at most m "
       "with m random features).",
       "双向线性注意力 phi(Q) phi(K)^T（按行归一化）的秩不超过 d（m 个随机特征时不超过 m）。",
       "Su Jianlin 2023; Katharopoulos et al. 2020", "苏剑林 2023；Katharopoulos 等 2020", "ClaimBacking.C6BidirectionalLinearRankAtMostFeatures"},
      {"C7", ClaimTag::kExact, "exact for phi > 0", "对 phi > 0 严格成立",
       "Causal linear attention is still a full-rank lower triangular matrix, as causal softmax attention is.",
       "因果（单向）线性注意力与标准注意力一样，仍是满秩的下三角阵。", kSu2023En, kSu2023Zh,
       "ClaimBacking.C7CausalLinearFullRankForPositiveFeatures"},
      {"C8", ClaimTag::kNumerical, "", "",
       "Softmax raises rank: the exponential of a rank-d logit matrix can have a higher rank (not necessarily "
       "full).",
       "softmax 有一定的升秩作用：秩为 d 的 logits 取指数后秩可以更高（未必满秩）。",
       "Su Jianlin 2023 and its comments; Su Jianlin, \"Transformer upgrade road 3: from Performer to linear attention\" (2021)",
       "苏剑林 2023 及其评论；苏剑林《Transformer升级之路：3、从Performer到线性Attention》2021", ""},
      {"C9", ClaimTag::kAnecdotal, "", "",
       "Linear attention falls less short of standard attention on causal language modelling than on "
       "bidirectional masked language modelling.",
       "线性注意力在单向语言模型任务上与标准注意力的差距，小于在双向 MLM 任务上的差距。", kSu2023En, kSu2023Zh, ""},
      {"C10", ClaimTag::kExact, "exact for the structure", "结构上严格成立",
       "Mixing forward and backward attention (half the heads lower triangular, half upper, or alternating "
       "layers) keeps bidirectional interaction while every head stays full rank.",
       "正反向混合注意力（一半头下三角、一半头上三角，或奇偶层交替）既保留双向交互，每个头又保持满秩。", kSu2023En, kSu2023Zh,
       "ClaimBacking.C10MixtureHeadsTriangularAndProductPositive"},
      {"C11", ClaimTag::kAnecdotal, "", "",
       "That forward/backward mixture trains slightly better than full bidirectional attention on MLM at base "
       "size (about 100M parameters).",
       "在 base 规模（约 1 亿参数）的 MLM 任务上，正反向混合注意力的效果略好于全双向注意力。",
       "Su Jianlin 2023 (training curve); FAQ 2023", "苏剑林 2023（训练曲线）；FAQ 2023", ""},
      {"C12", ClaimTag::kAnecdotal, "", "",
       "GPT against UniLM at about 1B parameters, same data, loss on the output only, only the input mask "
       "differing: UniLM is no better, sometimes worse.",
       "约 10 亿参数、相同数据、只对输出算 loss、仅输入部分注意力不同时，UniLM 相比 GPT 并无优势，某些任务更差。",
       "Su Jianlin 2023 (unpublished experiment)", "苏剑林 2023（未公开的实验）", ""},
      {"C13", ClaimTag::kConjecture, "", "",
       "The advantage of encoder-decoder models (T5, UL2) may come only from having twice the parameters.",
       "Encoder-Decoder 架构（T5、UL2）的优势可能只是源于参数翻倍。",
       "Su Jianlin 2023; Raffel et al. 2020 (T5); Tay et al. 2022 (UL2)",
       "苏剑林 2023；Raffel 等 2020（T5）；Tay 等 2022（UL2）", ""},
      {"C14", ClaimTag::kNumerical, "", "", "GPT, UniLM and T5 have about the same inference cost.",
       "GPT、UniLM 和 T5 的推理成本大致相同。", kSu2023En, kSu2023Zh, ""},
      {"C15", ClaimTag::kConjecture, "", "",
       "At equal parameters and equal inference cost, a decoder-only architecture is probably the best choice.",
       "在同等参数量、同等推理成本下，Decoder-only 架构很可能是最优选择。",
       "Su Jianlin 2023; contested by Wang et al., ICML 2022", "苏剑林 2023；Wang 等（ICML 2022）持不同结论", ""},
      {"C16", ClaimTag::kExact,
       "exact for the permutation part; anecdotal for \"so even no positional encoding works\"",
       "打破置换不变性的部分严格成立；“所以甚至不加位置编码都行”属于个例",
       "A triangular mask breaks the permutation invariance of attention and gives a left-to-right order, so "
       "even no positional encoding can work.",
       "三角形 mask 打破了 Transformer 的置换不变性，直接引入从左往右的序，所以甚至不加位置编码都行。",
       kSu2023FaqEn, kSu2023FaqZh, "ClaimBacking.C16BidirectionalEquivariantCausalNot"},
      {"C17", ClaimTag::kExact,
       "exact as algebra, misleading numerically: the uniform causal matrix has det = 1/n! yet a condition "
       "number of only 191 at n = 64",
       "代数上严格，数值上有误导性：均匀因果矩阵的行列式恰为 1/n!，但 n = 64 时条件数只有 191",
       "Low rank means determinant 0 and linearly dependent rows; full rank means a nonzero determinant.",
       "低秩即行列式为 0、线性相关；满秩即行列式不为 0、线性无关。",
       "the source essay's summary of Su Jianlin 2023",
       "原文对苏剑林 2023 的转述",
       "ClaimBacking.C17DeterminantPositiveIffPositiveDiagonal"},
  };
  return catalogue;
}

}  // namespace attnrank
