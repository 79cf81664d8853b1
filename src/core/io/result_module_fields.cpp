// The field tables of what the module says about itself and of the .npy reader's result (result_fields.h):
// limits() (one entry per range of param_ranges.h's kAllRanges, also `attnrank limits`), messages() (one
// per word of errors.h's kWords), memory_usage() (the binding measures, the table names the keys) and
// parse_npy()'s {rows, cols, data}. The keys of limits and messages are the names of their tables' entries,
// so their rows are made from those tables rather than listed again.
#include "result_table.h"

#include "attnrank/base/errors.h"
#include "attnrank/base/memory_estimate.h"
#include "attnrank/base/param_ranges.h"

namespace attnrank {
namespace {

using namespace result_table;

const Field<ParamRange> kRangeFields[] = {
    {"min", "int", "the least value the core accepts", [](const ParamRange& r) { return integer(r.min); }},
    {"max", "int", "the greatest value the core accepts", [](const ParamRange& r) { return integer(r.max); }},
};

const Field<ModuleMemory> kMemoryFields[] = {
    {"heap_bytes", "int", "the wasm memory's size in bytes", [](const ModuleMemory& m) { return integer(m.heap_bytes); }},
    {"footprint", "int", "the allocator's current footprint in bytes (mallinfo arena)",
     [](const ModuleMemory& m) { return integer(m.footprint); }},
    {"max_footprint", "int", "its highest footprint so far in bytes (mallinfo usmblks)",
     [](const ModuleMemory& m) { return integer(m.max_footprint); }},
    {"in_use", "int", "bytes allocated and not freed (mallinfo uordblks)", [](const ModuleMemory& m) { return integer(m.in_use); }},
    {"stack_pointer", "int", "the shadow stack pointer", [](const ModuleMemory& m) { return integer(m.stack_pointer); }},
    {"default_budget_mib", "int", "the default memory budget of a request in MiB (`memory_budget_mib`, docs/memory.md)",
     [](const ModuleMemory&) { return integer(kDefaultMemoryBudgetMiB); }},
};

const Field<MatrixXd> kNpyFields[] = {
    {"rows", "int", "the array's rows (a 1-D array of length L is (L, 1))", [](const MatrixXd& m) { return integer(m.rows()); }},
    {"cols", "int", "its columns", [](const MatrixXd& m) { return integer(m.cols()); }},
    {"data", "number[]", "its values as doubles, rows*cols row-major (a Float64Array copy)",
     [](const MatrixXd& m) { return matrix_view(m); }},
};

}  // namespace

ResultValue limits_result() {
  ResultValue out = ResultValue::object();
  for (const ParamRange& range : kAllRanges) out.add(range.name, object_of(kRangeFields, range));
  return out;
}

ResultValue messages_result() {
  ResultValue out = ResultValue::object();
  for (const Words& entry : kWords) out.add(entry.key, text(entry.text));
  return out;
}

ResultValue memory_usage_result(const ModuleMemory& memory) { return object_of(kMemoryFields, memory); }

ResultValue npy_matrix_result(const MatrixXd& matrix) { return object_of(kNpyFields, matrix); }

namespace result_table {

std::vector<ResultField> limits_fields() {
  std::vector<ResultField> out;
  for (const ParamRange& range : kAllRanges) {
    out.push_back({range.name, "object", std::string("the range of `") + range.name + "` (param_ranges.h)",
                   described(kRangeFields), false, "", ""});
  }
  return out;
}

std::vector<ResultField> messages_fields() {
  std::vector<ResultField> out;
  for (const Words& entry : kWords) {
    out.push_back({entry.key, "string", std::string("the core's words: `") + entry.text + "`", {}, false, "", ""});
  }
  return out;
}

std::vector<ResultField> memory_usage_fields() { return described(kMemoryFields); }

std::vector<ResultField> npy_fields() { return described(kNpyFields); }

}  // namespace result_table

}  // namespace attnrank
