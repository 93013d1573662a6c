"""Generation of informative labeled samples: ActiveGAN as an imblearn sampler."""

from ._activegan import ActiveGANAugmenter
from ._density import DiagonalGMM, FeatureBuffer
from ._generate import PAPER_THRESHOLDS
from ._modules import ConvDiscriminator, ConvGenerator, MLPDiscriminator, MLPGenerator
from ._net import ActiveGANNet
from ._reward import uncertainty_reward

__all__ = [
    "ActiveGANAugmenter",
    "ActiveGANNet",
    "ConvDiscriminator",
    "ConvGenerator",
    "DiagonalGMM",
    "FeatureBuffer",
    "MLPDiscriminator",
    "MLPGenerator",
    "PAPER_THRESHOLDS",
    "uncertainty_reward",
]
