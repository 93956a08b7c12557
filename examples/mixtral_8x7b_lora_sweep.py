# Recipe Lens example: a LoRA sweep over tensor-parallel sizes for Mixtral 8x7B.
# Expected diagnostics: RL102 (line 15), RL102 (line 15). TP 1 works (EP 8 on 8 GPUs); TP 2 and
# TP 4 break the expert grid, because the expert-tensor-parallel size follows TP:
# ETP 2 x EP 8 = 16 and ETP 4 x EP 8 = 32 do not divide 8 GPUs.
import os

import nemo_run as run
from nemo.collections import llm

GPUS = int(os.environ.get("GPUS_PER_NODE", "8"))

with run.Experiment("mixtral-lora-sweep") as exp:
    for tp in [1, 2, 4]:
        recipe = llm.mixtral_8x7b.finetune_recipe(num_nodes=1, num_gpus_per_node=GPUS, peft_scheme="lora")
        recipe.trainer.strategy.tensor_model_parallel_size = tp
        recipe.trainer.strategy.sequence_parallel = tp > 1
        recipe.peft.dim = 16
        exp.add(recipe, executor=run.LocalExecutor(ntasks_per_node=GPUS, launcher="torchrun"), name=f"lora_tp{tp}")
    exp.run(sequential=True)
