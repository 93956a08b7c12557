# Recipe Lens example: a NeMo-Run CLI script with a registered factory, launched as
#   python deepseek_v3_cli_factory.py --yes trainer.num_nodes=128
# Expected diagnostics: none. DeepSeek-V3 pretraining: TP 2 x PP 16 x EP 64 on 128 nodes x 8 GPUs.
import nemo_run as run
from nemo.collections import llm


@run.cli.factory(target=llm.pretrain, name="deepseek_v3_smoke")
def deepseek_v3_smoke() -> run.Partial:
    recipe = llm.deepseek_v3.pretrain_recipe(num_nodes=128, num_gpus_per_node=8)
    recipe.trainer.max_steps = 50
    recipe.data.micro_batch_size = 1
    return recipe


def slurm() -> run.SlurmExecutor:
    return run.SlurmExecutor(account="llm", nodes=128, ntasks_per_node=8, gpus_per_node=8)


if __name__ == "__main__":
    run.cli.main(llm.pretrain, default_factory=deepseek_v3_smoke, default_executor=slurm)
