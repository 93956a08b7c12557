# Recipe Lens example: Qwen3 8B pretraining with Megatron-Bridge, launched on 2 nodes x 8 GPUs by
# launch_qwen3_8b_bridge.sbatch (beside this file): Bridge takes its world size from the launcher.
# Expected diagnostics: RL304 (line 14). The sequence length is raised on the dataset only; the
# model keeps the recipe's 4096, and ConfigContainer.validate() refuses the job at start-up. The
# quick fixes set the one to the other.
from megatron.bridge.recipes.qwen import qwen3_8b_pretrain_config
from megatron.bridge.training.gpt_step import forward_step
from megatron.bridge.training.pretrain import pretrain

cfg = qwen3_8b_pretrain_config()
cfg.model.tensor_model_parallel_size = 2
cfg.train.global_batch_size = 256
cfg.train.micro_batch_size = 1
cfg.dataset.seq_length = 8192

if __name__ == "__main__":
    pretrain(cfg, forward_step)
