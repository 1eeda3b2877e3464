#!/usr/bin/python3
"""Trains the default lens's linear model: one logistic regression per decision (the CORE tier against
the other two tiers, and each ATLAS topic), on TF-IDF of the text and on binary CORDIS and rule features.

    npx tsx scripts/lens-model-features.ts > /tmp/lens-train.jsonl
    /usr/bin/python3 scripts/train-lens-model.py  # Debian python3-sklearn /tmp/lens-train.jsonl seed/lenses/atlas-model.json

Input: the JSON lines of scripts/lens-model-features.ts (training projects only: the development half of
the measured sample and the training-only labels; the test half is never in it). Output: the model file
that src/classify/lens-model.ts applies (format atlas-linear-model/1).

Method, all on the training projects only:
- vocabulary: text features (words, word pairs, title words) in at least minDf projects; idf =
  ln((1 + n) / (1 + df)) + 1; a project's text vector is (1 + ln count) * idf, scaled to unit length
  (scikit-learn's TfidfTransformer with sublinear_tf and smooth_idf, written out here so the TypeScript
  side can repeat it exactly); meta features (EuroSciVoc classes, call topics, rule matches) binary, kept
  when in at least minDf projects; sentence features (src/classify/sentence-features.ts) with their values,
  each decision reading only its own (sentence/<decision>/...);
- per decision: L2 logistic regression (liblinear, class_weight balanced), scored out of fold by
  stratified 5-fold cross-validation repeated REPEATS times; the decision threshold on the log-odds is the
  F1-best on those out-of-fold scores;
- what is chosen, and how: per decision, C (SELECT_C_GRID), whether the rules' matches are features and
  whether its sentence features are,
  then the way of deciding (the lens's rules alone, the model alone, or rules OR model), all by F1 of the
  out-of-fold decisions on the training-only projects (source "train": drawn outside the measured sample,
  never used to tune a rule, so the rules and the rule features are not flattered there as they are on
  the development half); ties go to the simpler choice (no rule features, no sentence features, smaller C, rules alone); the
  text view (VIEWS: word pairs or not, minDf) by the mean of those F1 over the decisions, as one model
  file has one idf table. The figures of that cross-validation are written into the provenance: they are
  estimates on training data after a choice among many, so optimistic, and never the test figures;
- decisions with fewer than MIN_POSITIVES positives get no model (the lens's rules decide them alone).
Weights are rounded to 4 decimals; those below PRUNE in absolute value are left out (in the
cross-validation too, so that it measures the model as shipped).
"""
import datetime
import json
import math
import sys

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

SEED = 20261206
MIN_DF = 2
MIN_POSITIVES = 8
C_GRID = [0.3, 1.0, 3.0, 10.0, 30.0]
REPEATS = 3
PRUNE = 0.01
TOPICS = [
    "topic:cancer",
    "topic:rare-diseases",
    "topic:prevention",
    "topic:health-economics",
    "topic:data-ict-solutions",
    "topic:clinical-support-tools",
    "topic:implementation",
    "topic:research-data-sharing",
    "topic:preclinical-clinical-research",
]


def read_rows(path):
    with open(path, encoding="utf8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def vocabulary(rows, min_df=MIN_DF):
    text_df, meta_df, sentence = {}, {}, set()
    for row in rows:
        for feature in row["text"]:
            text_df[feature] = text_df.get(feature, 0) + 1
        for feature in row["meta"]:
            meta_df[feature] = meta_df.get(feature, 0) + 1
        sentence.update(row.get("sentence", {}))
    n = len(rows)
    text = sorted(f for f, df in text_df.items() if df >= min_df)
    # Rounded as written to the model file, so that training and use compute the same vectors.
    idf = {f: round(math.log((1 + n) / (1 + text_df[f])) + 1, 4) for f in text}
    # Sentence features (sentence/<decision>/...) follow the binary meta features in the same block,
    # with their values; every one that occurs is kept (a decision reads only its own).
    meta = sorted(f for f, df in meta_df.items() if df >= min_df) + sorted(sentence)
    return text, idf, meta


def matrix(rows, text, idf, meta):
    """The design matrix: unit-length TF-IDF text block, then the meta block (binary CORDIS and rule
    features, then the sentence features with their values)."""
    index = {f: i for i, f in enumerate(text)}
    meta_index = {f: len(text) + i for i, f in enumerate(meta)}
    data, cols, indptr = [], [], [0]
    for row in rows:
        values = {index[f]: (1 + math.log(c)) * idf[f] for f, c in row["text"].items() if f in index}
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        for col, value in values.items():
            cols.append(col)
            data.append(value / norm)
        for f in row["meta"]:
            if f in meta_index:
                cols.append(meta_index[f])
                data.append(1.0)
        for f, value in row.get("sentence", {}).items():
            if f in meta_index:
                cols.append(meta_index[f])
                data.append(float(value))
        indptr.append(len(cols))
    return sp.csr_matrix((data, cols, indptr), shape=(len(rows), len(text) + len(meta)))


def model(c):
    return LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=1000)


def fit(x, y, c):
    """Weights and intercept as the model file keeps them: rounded to 4 decimals, those below PRUNE
    left out (a smaller file; cross-validation measures the pruned model, the one that is shipped)."""
    fitted = model(c).fit(x, y)
    weights = np.round(fitted.coef_[0], 4)
    weights[np.abs(weights) < PRUNE] = 0.0
    return weights, round(float(fitted.intercept_[0]), 4)


def out_of_fold(x, y, c):
    """Out-of-fold decision scores, REPEATS times 5-fold stratified: an array (REPEATS, n)."""
    scores = np.zeros((REPEATS, len(y)))
    for repeat in range(REPEATS):
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED + repeat)
        for train, held in folds.split(x, y):
            weights, intercept = fit(x[train], y[train], c)
            scores[repeat, held] = x[held] @ weights + intercept
    return scores


def best_threshold(scores, y):
    """The threshold maximising F1 pooled over the repeats, and the precision and recall there."""
    best = (-1.0, 0.0, 0.0, 0.0)
    flat_scores, flat_y = scores.ravel(), np.tile(y, scores.shape[0])
    for t in np.unique(np.round(flat_scores, 3)):
        predicted = flat_scores >= t
        tp = int(np.sum(predicted & (flat_y == 1)))
        if tp == 0:
            continue
        precision = tp / int(np.sum(predicted))
        recall = tp / int(np.sum(flat_y == 1))
        f1 = 2 * precision * recall / (precision + recall)
        if f1 > best[0]:
            best = (f1, float(t), precision, recall)
    return best


def compare(rows):
    """Model selection on training data only: on the training-only projects (source "train", which no
    rule was ever tuned on), the rules alone against the model with and without the rule features,
    each model scored out of fold (its threshold from the same out-of-fold scores)."""
    held = np.array([r["source"] == "train" for r in rows])
    variants = {
        "with rule features": rows,
        "without rule features": [dict(r, meta=[f for f in r["meta"] if not f.startswith("rule:")]) for r in rows],
    }
    for name in ["CORE"] + TOPICS:
        y = np.array([1 if (r["tier"] == "CORE" if name == "CORE" else name in r["topics"]) else 0 for r in rows])
        rule = np.array([1 if (r["rules"]["tier"] == "CORE" if name == "CORE" else name in r["rules"]["topics"]) else 0 for r in rows])
        line = [f"{name} ({int(y[held].sum())} positives among {int(held.sum())})"]
        line.append("rules " + figures(rule[held] == 1, y[held]))
        for variant, variant_rows in variants.items():
            text, idf, meta = vocabulary(variant_rows)
            x = matrix(variant_rows, text, idf, meta)
            scores = out_of_fold(x, y, 1.0)
            _, threshold, _, _ = best_threshold(scores, y)
            by_model = scores[:, held].ravel() >= threshold
            line.append(f"model {variant} " + figures(by_model, np.tile(y[held], REPEATS)))
            line.append("rules or model " + figures(by_model | np.tile(rule[held] == 1, REPEATS), np.tile(y[held], REPEATS)))
        print(" | ".join(line), file=sys.stderr)


def decided_by_rules(row, name):
    return (row["rules"]["tier"] == "CORE") if name == "CORE" else (name in row["rules"]["topics"])


def f1_of(predicted, y):
    tp = int(np.sum(predicted & (y == 1)))
    return 0.0 if tp == 0 else 2 * tp / (int(np.sum(predicted)) + int(np.sum(y == 1)))


def figures(predicted, y):
    tp = int(np.sum(predicted & (y == 1)))
    return f"P {tp / max(1, int(np.sum(predicted))):.2f} R {tp / max(1, int(np.sum(y == 1))):.2f}"


# The text views tried: word pairs or words alone (one view per model file, as its idf table is shared by
# all decisions), each decision with or without the rules' matches among its features.
VIEWS = [{"pairs": True, "minDf": 2}, {"pairs": True, "minDf": 4}, {"pairs": False, "minDf": 2}]
SELECT_C_GRID = [0.03, 0.1, 0.3, 1.0, 3.0, 10.0]


def text_view(rows, pairs):
    """The rows with word pairs dropped (pairs False): their text features are words and title words."""
    if pairs:
        return rows
    return [dict(r, text={f: c for f, c in r["text"].items() if " " not in f}) for r in rows]


def choose(x, y, held, rule_mask, sentence_mask):
    """For one decision: with or without rule features, with or without its sentence features, C and
    the threshold, by F1 on the training-only projects (out of fold; no rule was tuned on them, so rule
    features are not flattered there). The threshold is the F1-best on all out-of-fold scores. Ties go
    to no rule features, no sentence features and the smaller C."""
    best = None
    for rule_features in (False, True):
        for sentence_features in (False, True):
            mask = (rule_mask if not rule_features else 1.0) * (sentence_mask[sentence_features])
            xx = x.multiply(mask).tocsr()
            for c in SELECT_C_GRID:
                scores = out_of_fold(xx, y, c)
                f1, threshold, precision, recall = best_threshold(scores, y)
                held_f1 = f1_of(scores[:, held].ravel() >= threshold, np.tile(y[held], REPEATS))
                key = (round(held_f1, 3), not rule_features, not sentence_features, -c)
                if best is None or key > best["key"]:
                    best = {"key": key, "ruleFeatures": rule_features, "sentenceFeatures": sentence_features,
                            "C": c, "threshold": threshold, "scores": scores, "cv": (f1, precision, recall),
                            "heldF1": held_f1, "x": xx}
    return best


def decide_way(best, rows, y, held, name):
    """Rules alone, model alone or rules OR model, by F1 on the training-only projects; ties to rules."""
    rule = np.array([decided_by_rules(r, name) for r in rows])
    held_y = np.tile(y[held], REPEATS)
    by_model = best["scores"][:, held].ravel() >= best["threshold"]
    held_rule = np.tile(rule[held], REPEATS)
    ways = {"rules": f1_of(held_rule, held_y), "model": f1_of(by_model, held_y), "or-rules": f1_of(by_model | held_rule, held_y)}
    return max(["rules", "model", "or-rules"], key=lambda way: (round(ways[way], 3), way == "rules")), ways


def held_figures(predicted, y):
    tp = int(np.sum(predicted & (y == 1)))
    return {"precision": round(tp / max(1, int(np.sum(predicted))), 3), "recall": round(tp / max(1, int(np.sum(y == 1))), 3)}


def select_view(rows, labels, held):
    """Every decision for every text view; returns the view whose chosen ways have the best mean F1 on
    the training-only projects, with its per-decision choices."""
    results = []
    for v in VIEWS:
        vrows = text_view(rows, v["pairs"])
        text, idf, meta = vocabulary(vrows, v["minDf"])
        x = matrix(vrows, text, idf, meta)
        rule_mask = np.array([[0.0 if n.startswith("rule:") else 1.0 for n in text + meta]])
        is_sentence = np.array([n.startswith("sentence/") for n in text + meta])
        chosen, total = {}, 0.0
        for name, y in labels.items():
            if int(y.sum()) < MIN_POSITIVES:
                continue
            # A decision reads only its own sentence features (sentence/<decision>/...), or none.
            own = np.array([n.startswith(f"sentence/{name}/") for n in text + meta])
            sentence_mask = {False: np.where(is_sentence, 0.0, 1.0)[None, :],
                             True: np.where(is_sentence & ~own, 0.0, 1.0)[None, :]}
            best = choose(x, y, held, rule_mask, sentence_mask)
            way, ways = decide_way(best, rows, y, held, name)
            chosen[name] = (best, way, ways)
            total += ways[way]
            print(f"{v} {name}: rule features {best['ruleFeatures']}, sentence features {best['sentenceFeatures']}, C={best['C']}, CV F1 {best['cv'][0]:.2f}, training-only F1 {ways} -> {way}", file=sys.stderr)
        print(f"{v}: mean training-only F1 {total / max(1, len(chosen)):.3f}", file=sys.stderr)
        results.append((total / max(1, len(chosen)), v, text, idf, meta, chosen))
    return max(results, key=lambda r: r[0])


def main(source, target):
    rows = read_rows(source)
    if target == "--compare":
        compare(rows)
        return
    labels = {"CORE": np.array([1 if r["tier"] == "CORE" else 0 for r in rows])}
    for topic in TOPICS:
        labels[topic] = np.array([1 if topic in r["topics"] else 0 for r in rows])
    held = np.array([r["source"] == "train" for r in rows])
    score, view, text, idf, meta, chosen = select_view(rows, labels, held)
    names = text + meta
    decisions, figures, checks = {}, {}, {}
    for name, y in labels.items():
        positives = int(y.sum())
        if name not in chosen:
            figures[name] = {"positives": positives, "model": "none (too few positives): rules only"}
            continue
        best, combine, ways = chosen[name]
        rule = np.array([decided_by_rules(r, name) for r in rows])
        by_model = best["scores"][:, held].ravel() >= best["threshold"]
        held_rule = np.tile(rule[held], REPEATS)
        way_predicted = {"rules": held_rule, "model": by_model, "or-rules": by_model | held_rule}[combine]
        figures[name] = {
            "positives": positives,
            "trainingOnlyPositives": int(y[held].sum()),
            "C": best["C"],
            "ruleFeatures": best["ruleFeatures"],
            "sentenceFeatures": best["sentenceFeatures"],
            "cvPrecision": round(best["cv"][1], 3),
            "cvRecall": round(best["cv"][2], 3),
            "cvF1": round(best["cv"][0], 3),
            "heldOutF1": {way: round(v, 3) for way, v in ways.items()},
            "heldOut": held_figures(way_predicted, np.tile(y[held], REPEATS)),
            "decidedBy": combine,
        }
        if combine == "rules":
            continue
        coef, intercept = fit(best["x"], y, best["C"])
        weights = {names[i]: float(w) for i, w in enumerate(coef) if w != 0.0}
        # Scores of a few development projects as this script computes them, so that a test can check
        # that the TypeScript side (src/classify/lens-model.ts) computes the same.
        x = best["x"]
        check_rows = [i for i, r in enumerate(rows) if r["source"] == "dev"][:5]
        checks[name] = {rows[i]["id"]: round(float(x[i] @ coef + intercept), 4) for i in check_rows}
        decisions[name] = {
            "combine": combine,
            "intercept": intercept,
            "threshold": round(best["threshold"], 4),
            "weights": weights,
        }
    sources = {}
    for r in rows:
        sources[r["source"]] = sources.get(r["source"], 0) + 1
    out = {
        "format": "atlas-linear-model/1",
        "provenance": {
            "trainedOn": "test/topic-lens/he-labels.csv (development half only) and the blind training-only labels of draw order 1-880 (he-train-labels-third-reading.csv for 1-160, he-train-labels.csv for 161-280, he-train-labels-2.csv for 281-400, he-train-labels-3.csv for 401-880) and of the OTHER stratum's draw order 1-480 (he-train-labels-other.csv); never the test half",
            "projects": sources,
            "trainedAt": datetime.date.today().isoformat(),
            "library": f"scikit-learn {sklearn.__version__} (LogisticRegression, liblinear, L2, class_weight balanced)",
            "seed": SEED,
            "textView": {"wordPairs": view["pairs"], "minDf": view["minDf"]},
            "cGrid": SELECT_C_GRID,
            "selection": "per decision: rule features or not, its sentence features or not, and C by F1 on the training-only projects (out of fold); text view by the mean of those F1; way (rules, model, rules OR model) by the same F1, ties to the rules",
            "thresholds": "log-odds maximising F1 of out-of-fold scores, stratified 5-fold cross-validation repeated 3 times",
            "crossValidated": figures,
            "scoreChecks": checks,
            "script": "scripts/train-lens-model.py",
        },
        "idf": {f: idf[f] for f in text},
        "decisions": decisions,
    }
    with open(target, "w", encoding="utf8") as handle:
        json.dump(out, handle, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
        handle.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
