"""Fits one peer on a train split and writes its sample: run by run_peers.py in a child process, so
that a fit over budget can be stopped and the peak memory measured is this fit's own.
Leaves out: choosing hyperparameters (every peer keeps its defaults) and any imputation (a peer
that cannot take missing cells fails, and its error is recorded).

    python fit_peer.py PEER TRAIN.csv ROWS SEED SAMPLE.csv STATS.json
"""

import json
import random
import resource
import sys
import time

import numpy as np
import pandas as pd
import torch

SDV_PEERS = {"sdv_gaussian_copula": "GaussianCopulaSynthesizer", "sdv_ctgan": "CTGANSynthesizer", "sdv_tvae": "TVAESynthesizer"}
SYNTHCITY_PEERS = {"synthcity_ddpm": "ddpm", "synthcity_arf": "arf"}
PEERS = list(SDV_PEERS) + list(SYNTHCITY_PEERS)


def seed_everything(seed):
    """Seeds every generator the peers draw from (SDV has no seed argument)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def read_split(path):
    """A CSV as `tabcorr split` writes it: an empty cell is missing, every other text is a value."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def fit_sdv(peer, train, seed):
    """An SDV synthesizer with default settings, on metadata SDV detects from the train split."""
    import sdv.single_table
    from sdv.metadata import Metadata

    # SDV 2 takes and returns single tables as {table name: DataFrame}.
    metadata = Metadata.detect_from_dataframes({"train": train})
    synthesizer = getattr(sdv.single_table, SDV_PEERS[peer])(metadata)
    seed_everything(seed)
    synthesizer.fit({"train": train})

    def sample(rows):
        seed_everything(seed)
        return synthesizer.sample(num_rows=rows)["train"]

    return sample


def fit_synthcity(peer, train, seed):
    """A synthcity plugin with default settings (its own column encoding)."""
    from synthcity.plugins import Plugins
    from synthcity.plugins.core.dataloader import GenericDataLoader

    plugin = Plugins().get(SYNTHCITY_PEERS[peer], random_state=seed)
    seed_everything(seed)
    plugin.fit(GenericDataLoader(train))

    def sample(rows):
        seed_everything(seed)
        return plugin.generate(count=rows, random_state=seed).dataframe()

    return sample


def main(peer, train_path, rows, seed, sample_path, stats_path):
    train = read_split(train_path)
    fit = fit_sdv if peer in SDV_PEERS else fit_synthcity
    start = time.perf_counter()
    sample = fit(peer, train, seed)
    fitted = time.perf_counter()
    synthetic = sample(rows)[list(train.columns)]
    sampled = time.perf_counter()
    synthetic.to_csv(sample_path, index=False)
    stats = {
        "fitSeconds": round(fitted - start, 3),
        "sampleSeconds": round(sampled - fitted, 3),
        # ru_maxrss is in KiB on Linux: the whole process (interpreter and libraries included).
        "peakMemoryMB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "torchThreads": torch.get_num_threads(),
    }
    with open(stats_path, "w") as f:
        json.dump(stats, f)


if __name__ == "__main__":
    if len(sys.argv) != 7 or sys.argv[1] not in PEERS:
        sys.exit(f"usage: fit_peer.py {{{','.join(PEERS)}}} TRAIN.csv ROWS SEED SAMPLE.csv STATS.json")
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6])
