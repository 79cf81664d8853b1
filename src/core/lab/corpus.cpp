// The lab's character corpus (see corpus.h).
#include "attnrank/lab/corpus.h"

#include <array>
#include <cmath>

#include "lab_math.h"

#include "attnrank/base/errors.h"

namespace attnrank::lab {

Corpus make_corpus(const std::string& text, std::size_t min_tokens) {
  if (text.empty()) {
    fail(ErrorCode::kInvalidArgument, "corpus",
         message("corpus is empty (it is extracted at build time from the Debian package ", kCorpusPackage,
                 " by scripts/austen_corpus.py)"));
  }
  if (text.size() < min_tokens) {
    fail(ErrorCode::kInvalidArgument, "corpus",
         message("corpus has ", static_cast<double>(text.size()), " characters, at least ",
                 static_cast<double>(min_tokens), " needed"));
  }
  std::array<int, 256> id_of{};
  id_of.fill(-1);
  for (unsigned char byte : text) id_of[byte] = 0;
  Corpus corpus;
  for (int byte = 0; byte < 256; ++byte)
    if (id_of[byte] == 0) {
      id_of[byte] = static_cast<int>(corpus.alphabet.size());
      corpus.alphabet.push_back(static_cast<unsigned char>(byte));
    }
  corpus.tokens.reserve(text.size());
  for (unsigned char byte : text) corpus.tokens.push_back(id_of[byte]);
  const std::size_t held_out = static_cast<std::size_t>(std::floor(kHeldOutFraction * static_cast<double>(text.size())));
  corpus.train_end = text.size() - held_out;
  corpus.train_unigram.assign(corpus.alphabet.size(), 0.0);
  for (std::size_t i = 0; i < corpus.train_end; ++i) corpus.train_unigram[corpus.tokens[i]] += 1.0;
  for (double& p : corpus.train_unigram) p /= static_cast<double>(corpus.train_end);
  return corpus;
}

double unigram_entropy(const Corpus& corpus) {
  double entropy = 0;
  for (double p : corpus.train_unigram)
    if (p > 0) entropy -= p * lab_log(p);
  return entropy;
}

}  // namespace attnrank::lab
