// The lab's character corpus (design-lab.md section 3): text given as bytes (the build extracts Austen's
// novels from Debian's r-cran-janeaustenr with scripts/austen_corpus.py; the core never opens a file),
// tokenised one byte per token. The alphabet is the sorted set of distinct bytes (the novels are ASCII
// but for one '£', whose two UTF-8 bytes are two symbols); token ids 0..A-1 in byte order. The held-out
// split is the last 10% of the tokens, the training split the rest. Not here: SEP/MASK ids, windows and
// objectives (tasks.h).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace attnrank::lab {

inline constexpr double kHeldOutFraction = 0.1;
inline constexpr const char* kCorpusPackage = "r-cran-janeaustenr";

struct Corpus {
  std::vector<unsigned char> alphabet;  // token id -> byte, ascending
  std::vector<int> tokens;              // the text as token ids
  std::size_t train_end = 0;            // tokens [0, train_end) train; [train_end, size) held out
  std::vector<double> train_unigram;    // (A): each symbol's frequency in the training split
};

// Throws kInvalidArgument when the text is shorter than min_tokens (the corpus-missing case reads
// "corpus is empty (...Debian package r-cran-janeaustenr...)").
Corpus make_corpus(const std::string& text, std::size_t min_tokens = 1024);

// Entropy in nats of train_unigram: the loss of the best context-free predictor, the baseline a
// trained model must beat.
double unigram_entropy(const Corpus& corpus);

}  // namespace attnrank::lab
