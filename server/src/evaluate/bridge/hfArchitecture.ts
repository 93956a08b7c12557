// The architecture of a Hugging Face model from its config.json, in Megatron-Core's field names,
// for models that the catalog does not know. Only decoder families whose Megatron-Core shape
// follows from config.json alone are read (Llama-like: RoPE, RMSNorm, gated MLP, no linear
// biases, with their MoE variants); anything else stays unknown rather than guessed.
import type { Literal } from '../library';

/** model_type -> what the family adds to the Llama-like base. */
const FAMILIES: Record<string, { qkvBias?: boolean; qkLayernorm?: boolean; tied?: boolean }> = {
  llama: {},
  mistral: {},
  mixtral: {},
  granite: {},
  qwen2: { qkvBias: true },
  qwen2_moe: { qkvBias: true },
  qwen3: { qkLayernorm: true },
  qwen3_moe: { qkLayernorm: true },
  olmo2: { qkLayernorm: true },
  gemma: { tied: true },
  gemma2: { tied: true },
};

function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
}

/** Megatron-Core fields for a config.json, or why they cannot be read from it. */
export function architectureFromHfConfig(config: Record<string, unknown>): { fields: Record<string, Literal> } | { reason: string } {
  const type = typeof config.model_type === 'string' ? config.model_type : undefined;
  const family = type ? FAMILIES[type] : undefined;
  if (!family) return { reason: `its model_type ${type ? `"${type}"` : '(missing)'} is not one Recipe Lens reads from config.json` };
  const layers = int(config.num_hidden_layers);
  const hidden = int(config.hidden_size);
  const heads = int(config.num_attention_heads);
  const ffn = int(config.intermediate_size);
  const vocab = int(config.vocab_size);
  if (!layers || !hidden || !heads || !ffn || !vocab) return { reason: 'its config.json lacks num_hidden_layers, hidden_size, num_attention_heads, intermediate_size or vocab_size' };
  const experts = int(config.num_local_experts) ?? int(config.num_experts);
  const fields: Record<string, Literal> = {
    num_layers: layers,
    hidden_size: hidden,
    num_attention_heads: heads,
    ffn_hidden_size: ffn,
    num_query_groups: int(config.num_key_value_heads) ?? heads,
    kv_channels: int(config.head_dim) ?? Math.floor(hidden / heads),
    vocab_size: vocab,
    share_embeddings_and_output_weights: typeof config.tie_word_embeddings === 'boolean' ? config.tie_word_embeddings : (family.tied ?? false),
    gated_linear_unit: true,
    add_bias_linear: false,
    add_qkv_bias: typeof config.attention_bias === 'boolean' ? config.attention_bias : (family.qkvBias ?? false),
    qk_layernorm: family.qkLayernorm ?? false,
    normalization: 'RMSNorm',
    position_embedding_type: 'rope',
  };
  if (experts && experts > 1) {
    fields.num_moe_experts = experts;
    fields.moe_router_topk = int(config.num_experts_per_tok) ?? 2;
    fields.moe_ffn_hidden_size = int(config.moe_intermediate_size) ?? ffn;
    fields.moe_shared_expert_intermediate_size = int(config.shared_expert_intermediate_size) ?? null;
    // Layers listed in mlp_only_layers or skipped by decoder_sparse_step are dense: not modelled.
    const sparseStep = config.decoder_sparse_step;
    const denseLayers = Array.isArray(config.mlp_only_layers) && config.mlp_only_layers.length > 0;
    if ((sparseStep !== undefined && sparseStep !== 1) || denseLayers) return { reason: 'its config.json mixes dense and MoE layers, which Recipe Lens does not read from config.json' };
  }
  return { fields };
}
