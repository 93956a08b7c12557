// recipeCallFails: reported from the evaluator's problems (analysis/analyze.ts), not by a layout
// check: a recipe function called in a way Python or the recipe itself refuses.
import type { Diagnostic } from '../diagnostic';
import type { RuleDoc } from '../rule';
import type { Range } from '../../parse/positions';

export const recipeCallFails: RuleDoc = {
  code: 'RL501',
  name: 'recipe-call-fails',
  severity: 'error',
  stage: 'launch',
  summary: 'A recipe function is called with arguments it does not take, or with a combination it refuses.',
  docs: {
    what: "Checks each call of a NeMo recipe factory (`llm.llama3_8b.pretrain_recipe(...)`) and of a Megatron-Bridge recipe function (`llama3_8b_pretrain_config(...)`) against the function's signature in the catalog, and against the combinations the recipe raises for.",
    why: "The script fails before any training starts: an argument the function does not take is a TypeError, and some recipes raise for combinations they do not support. Megatron-Bridge 0.3.1 and later made the recipe functions parameterless, so scripts written for 0.2 or 0.3 that pass `tensor_model_parallel_size=...` to them stop with `TypeError: ... got an unexpected keyword argument`.",
    example: 'cfg = llama3_8b_sft_config(tensor_model_parallel_size=2)  # Bridge 0.3.1+: takes no arguments',
    fix: 'Call the function without the argument and set the value on the returned config instead: `cfg = llama3_8b_sft_config()` then `cfg.model.tensor_model_parallel_size = 2`. For NeMo factories, check the argument name against the factory\'s signature.',
    references: 'NeMo `nemo/collections/llm/recipes/*.py` factory signatures; Megatron-Bridge `src/megatron/bridge/recipes/**` (parameterless since 0.3.1 for language models, 0.4.0 for vision-language finetuning).',
  },
};

export function recipeCallDiagnostic(problem: { range: Range; message: string }): Diagnostic {
  return { code: recipeCallFails.code, name: recipeCallFails.name, severity: recipeCallFails.severity, message: problem.message, range: problem.range, related: [], fixes: [] };
}
