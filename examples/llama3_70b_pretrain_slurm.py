# Recipe Lens example: pretrain Llama 3 70B on a Slurm cluster, sized from the command line.
# Expected diagnostics: none with the argparse defaults (16 nodes x 8 GPUs = 128 = TP 4 x PP 4 x CP 2 x DP 4;
# on 4 nodes, DP 1 leaves the optimizer state unsharded and the first pipeline stage runs out of memory).
import argparse

import nemo_run as run
from nemo.collections import llm


def get_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Llama 3 70B pretraining")
    parser.add_argument("--nodes", type=int, default=16, help="number of nodes")
    parser.add_argument("--gpus-per-node", type=int, default=8)
    parser.add_argument("--account", type=str, required=True)
    parser.add_argument("--partition", type=str, default="batch")
    parser.add_argument("--max-steps", type=int, default=500)
    parser.add_argument("--dryrun", action="store_true")
    return parser


def slurm_executor(account, partition, nodes, devices):
    return run.SlurmExecutor(
        account=account,
        partition=partition,
        nodes=nodes,
        ntasks_per_node=devices,
        gpus_per_node=devices,
        mem="0",
        exclusive=True,
        time="04:00:00",
        container_image="nvcr.io/nvidia/nemo:25.04",
    )


if __name__ == "__main__":
    args = get_parser().parse_args()
    recipe = llm.llama3_70b.pretrain_recipe(
        name="llama3_70b",
        num_nodes=args.nodes,
        num_gpus_per_node=args.gpus_per_node,
    )
    recipe.trainer.max_steps = args.max_steps
    recipe.data.global_batch_size = 128
    executor = slurm_executor(args.account, args.partition, args.nodes, args.gpus_per_node)
    with run.Experiment("llama3-70b-pretrain") as exp:
        exp.add(recipe, executor=executor, name="pretrain")
        if args.dryrun:
            exp.dryrun()
        else:
            exp.run(sequential=True)
