# Recipe Lens example: a small GPT built by hand with eager NeMo objects, as scripts/llm/gpt_train.py does.
# Expected diagnostics: RL201 (line 16). 12 attention heads are not divisible by TP 8.
import torch
from nemo import lightning as nl
from nemo.collections import llm
from nemo.collections.llm.recipes.precision.mixed_precision import bf16_mixed

config = llm.GPTConfig(
    num_layers=12,
    hidden_size=768,
    num_attention_heads=12,
    seq_length=2048,
    vocab_size=50304,
)
strategy = nl.MegatronStrategy(
    tensor_model_parallel_size=8,
    pipeline_model_parallel_size=1,
    pipeline_dtype=torch.bfloat16,
)
trainer = nl.Trainer(
    devices=8,
    num_nodes=1,
    max_steps=100,
    accelerator="gpu",
    strategy=strategy,
    plugins=bf16_mixed(),
)
data = llm.MockDataModule(seq_length=2048, global_batch_size=32, micro_batch_size=4)

llm.pretrain(model=llm.GPTModel(config), data=data, trainer=trainer)
