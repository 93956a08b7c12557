# Recipe Lens example: Llama 3 8B pretraining on one node, with the micro batch raised to 4.
# Expected diagnostics: RL401 (line 12). Four sequences of 8192 tokens per micro batch keep about
# 80 GiB of activations on each GPU; the quick fixes raise TP or enable full activation recompute,
# each to a layout the estimate says fits (a smaller micro batch alone does not fit).
import nemo_run as run
from nemo.collections import llm

recipe = llm.llama3_8b.pretrain_recipe(name="llama3_8b_mbs4", num_nodes=1, num_gpus_per_node=8)
recipe.trainer.max_steps = 1000
recipe.data.seq_length = 8192
recipe.data.global_batch_size = 512
recipe.data.micro_batch_size = 4

run.run(recipe, executor=run.LocalExecutor(ntasks_per_node=8, launcher="torchrun"), name="llama3_8b_mbs4")
