"""Made-up distributional results on which each claim passes and fails."""

import math

H = math.log(2)  # h(0.5)


def _result(**over):
    row = {
        "seed": 0,
        "noisy_loss_in_context": 0.70,
        "p_noise": 0.49,
        "ff2_predicts_noise": 0.97,
        "ff2_noise_margin": 0.6,
        "attn2_predicts_answer": 0.99,
        "acc_rho_0": 0.98,
        "acc_rho_0.1": 0.60,
        "acc_rho_0.2": 0.62,
        "acc_rho_1": 0.55,
    }
    row.update(over)
    return {"config": {"alpha": 0.5}, "bayes_floor": H, "per_seed": [row, dict(row, seed=1)]}


CASES = {
    "distr.bayes-floor": (_result(), _result(noisy_loss_in_context=0.78)),
    "distr.calibration": (_result(), _result(p_noise=0.35)),
    "distr.ff-stores-noise": (_result(), _result(ff2_predicts_noise=0.8)),
    "distr.ff-noise-margin": (_result(), _result(ff2_noise_margin=0.0)),
    "distr.attn-recalls": (_result(), _result(attn2_predicts_answer=0.5)),
    "distr.truncation-raises-accuracy": (_result(), _result(acc_rho_0=0.55)),
    "distr.truncation-rho-0.1": (_result(), _result(**{"acc_rho_0.1": 0.01})),
    "distr.truncation-rho-0.2": (_result(), _result(**{"acc_rho_0.2": 0.01})),
}
