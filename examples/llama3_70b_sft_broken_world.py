# Recipe Lens example: full fine-tuning of Llama 3 70B on three nodes.
# Expected diagnostics: RL101 (line 10). The full-SFT layout is TP 8 x PP 4 = 32 GPUs, but
# 3 nodes x 8 GPUs = 24: Megatron-Core refuses to start ("world_size (24) is not divisible by 32").
import nemo_run as run
from nemo.collections import llm

recipe = llm.llama3_70b.finetune_recipe(
    dir="/checkpoints/llama3_70b_sft",
    name="llama3_70b_sft",
    num_nodes=3,
    num_gpus_per_node=8,
    peft_scheme=None,
)
recipe.trainer.max_steps = 200
recipe.data.global_batch_size = 96

executor = run.SlurmExecutor(account="llm", partition="batch", nodes=3, ntasks_per_node=8, gpus_per_node=8)
run.run(recipe, executor=executor, name="llama3_70b_sft")
