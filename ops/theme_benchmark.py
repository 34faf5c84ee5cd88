"""Theme detection benchmark: quality (NMI/AMI against known labels) and speed of
`ilc themes` next to three scikit-learn pipelines given the true number of themes.

The labelled corpus is built here, from a seed: answers in the words educators use,
each mostly about one theme, with shared context, cross-theme mentions and some
answers about nothing in particular (labelled "none"). Run through ops/theme-benchmark.
"""
import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time

THEMES = {
    "attendance": [
        "chronic absenteeism keeps rising", "too many students miss school every week",
        "attendance dropped after winter break", "absences cluster on Mondays and Fridays",
        "families do not see why daily attendance matters", "tardies are eating into first period",
        "we track chronically absent students by name", "attendance incentives stopped working",
        "students who miss ten percent of days fall behind", "truancy letters do not change behaviour",
    ],
    "literacy": [
        "reading scores have been flat for three years", "our phonics instruction is inconsistent",
        "students struggle with reading comprehension", "we are moving to the science of reading",
        "writing across the curriculum is weak", "too many third graders are not reading on grade level",
        "decoding gaps persist into middle school", "our literacy block is not protected",
        "students rarely read whole books", "fluency interventions need better materials",
    ],
    "math": [
        "math proficiency is the lowest it has been", "students lack fraction sense",
        "algebra readiness in eighth grade is a concern", "math instruction is procedural not conceptual",
        "problem solving tasks are rare in our classrooms", "numeracy in the primary grades needs attention",
        "students are anxious about math tests", "our math curriculum lacks coherence across grades",
        "teachers want better math manipulatives", "geometry and measurement are skipped",
    ],
    "family": [
        "parents rarely come to conferences", "family engagement nights are poorly attended",
        "we need better two way communication with families", "caregivers feel unwelcome in the building",
        "community partners could support our parents", "messages home are not translated",
        "families want more say in school decisions", "home visits built trust last year",
        "parent teacher association has few members", "working parents cannot attend daytime events",
    ],
    "wellbeing": [
        "student mental health needs have grown", "anxiety and trauma show up in classrooms daily",
        "we need time for social emotional learning", "counselors are stretched too thin",
        "behaviour referrals keep increasing", "students lack strategies for self regulation",
        "relationships between students and adults need repair", "staff are not trained in trauma informed practice",
        "students feel unsafe in hallways", "restorative circles helped some classes",
    ],
    "grading": [
        "grading practices vary wildly between teachers", "we want to move to standards based grading",
        "late work policies punish students twice", "formative assessment is used rarely",
        "feedback comes too late to help", "rubrics are not shared with students",
        "zeros in the gradebook distort what students know", "retakes are not allowed in most courses",
        "assessments do not match the standards", "homework counts too much in final grades",
    ],
    "mtss": [
        "our intervention system is not working", "tier two supports are inconsistent",
        "universal screening data is not acted on", "progress monitoring happens irregularly",
        "the student support team meets without data", "tier three students get the least experienced staff",
        "interventions are scheduled during core instruction", "we lack a menu of evidence based interventions",
        "referrals to special education replace intervention", "MTSS meetings run out of time",
    ],
    "english-learners": [
        "multilingual learners are not reaching proficiency", "newcomer students need more language support",
        "English learners are pulled out of core classes", "teachers lack strategies for language development",
        "dual language programs have long waitlists", "we translate documents but not instruction",
        "long term English learners stall in middle school", "language scaffolds are missing from lessons",
        "ESL teachers and classroom teachers rarely plan together", "home languages are not valued",
    ],
    "collaboration": [
        "teachers have no common planning time", "our professional learning communities drift",
        "teacher turnover is the highest in the region", "new teachers leave within two years",
        "burnout is real among our staff", "coaching cycles were cut this year",
        "collaborative planning time gets used for announcements", "staff morale dropped after the reorganisation",
        "mentoring for first year teachers is thin", "teachers work in isolation",
    ],
    "data-use": [
        "we have dashboards but nobody uses them", "data meetings feel like compliance",
        "teachers do not know how to analyze assessment data", "our data systems do not talk to each other",
        "we collect data but rarely act on it", "data arrives too late to change instruction",
        "principals want data they can trust", "we need common measures across schools",
        "spreadsheets are how we track everything", "data conversations blame students",
    ],
    "college-career": [
        "few students enroll in college after graduation", "career pathways are not aligned to local jobs",
        "dual enrollment courses are hard to access", "students do not know their postsecondary options",
        "graduation rates hide weak readiness", "career and technical education lacks equipment",
        "counselors cannot meet every senior", "internships are only for well connected students",
        "financial aid applications are low", "students leave without a plan",
    ],
    "equity": [
        "opportunity gaps between student groups are widening", "students of colour are over disciplined",
        "advanced courses do not reflect our student body", "many students say they do not belong",
        "our curriculum is not culturally responsive", "bias shows up in who gets referred",
        "students with disabilities are excluded from electives", "equity work stalls at the district level",
        "families of colour feel unheard", "we need inclusive classrooms for every student",
    ],
}

CONTEXT = [
    "As a principal,", "In our district,", "From the central office I see that", "This year",
    "As an instructional coach,", "Across our schools", "In my building", "Honestly,",
    "Our leadership team agrees that", "Since the pandemic", "At the middle school level",
]

FILLER = [
    "and it affects everything we do.", "which worries our whole team.", "and we have tried several things.",
    "so this is where I want to focus.", "and nobody owns the problem.", "and it gets worse every year.",
    "and we need help to change it.", "",
]

NOTHING = [
    "I am not sure yet what to focus on.", "Happy to join whatever group needs me.",
    "The building renovation takes most of my time.", "We are still hiring for several positions.",
]


def corpus(size, seed, outliers=0.03):
    rng = random.Random(seed)
    names = sorted(THEMES)
    rows = []
    for index in range(size):
        if rng.random() < outliers:
            rows.append((f"r{index}", rng.choice(NOTHING), "none"))
            continue
        theme = rng.choice(names)
        phrases = rng.sample(THEMES[theme], 2)
        text = f"{rng.choice(CONTEXT)} {phrases[0]}, {rng.choice(FILLER)} Also {phrases[1]}."
        if rng.random() < 0.15:  # a passing mention of another theme
            text += f" We also see that {rng.choice(THEMES[rng.choice(names)])}."
        rows.append((f"r{index}", text, theme))
    return rows


def write_csv(rows, path):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows((row[0], row[1]) for row in rows)


def run_ilc(binary, path, seed):
    started = time.perf_counter()
    output = subprocess.run(
        [binary, "themes", "--input", path, "--seed", str(seed)], check=True, capture_output=True, text=True).stdout
    seconds = time.perf_counter() - started
    result = json.loads(output)
    labels = [assignment["theme"] or "unassigned" for assignment in result["assignments"]]
    return labels, len(result["themes"]), seconds


def sklearn_pipelines(texts, k, seed):
    from sklearn.cluster import KMeans
    from sklearn.decomposition import NMF, TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Normalizer

    results = {}
    started = time.perf_counter()
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2, max_df=0.5).fit_transform(texts)
    vectorize = time.perf_counter() - started

    started = time.perf_counter()
    labels = KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(matrix)
    results["TF-IDF + KMeans"] = (labels, vectorize + time.perf_counter() - started)

    started = time.perf_counter()
    lsa = make_pipeline(TruncatedSVD(n_components=min(100, matrix.shape[1] - 1), random_state=seed), Normalizer(copy=False))
    reduced = lsa.fit_transform(matrix)
    labels = KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(reduced)
    results["TF-IDF + LSA(100) + KMeans"] = (labels, vectorize + time.perf_counter() - started)

    started = time.perf_counter()
    weights = NMF(n_components=k, random_state=seed, init="nndsvda", max_iter=300).fit_transform(matrix)
    results["TF-IDF + NMF"] = (weights.argmax(axis=1), vectorize + time.perf_counter() - started)
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ilc", required=True, help="the release ilc binary")
    parser.add_argument("--quality-size", type=int, default=5000)
    parser.add_argument("--speed-size", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ilc-theme-bench-") as work:
        measure(arguments, work)


def measure(arguments, work):
    from sklearn.metrics import adjusted_mutual_info_score, normalized_mutual_info_score

    rows = corpus(arguments.quality_size, arguments.seed)
    truth = [row[2] for row in rows]
    true_k = len(set(truth) - {"none"})
    path = os.path.join(work, "quality.csv")
    write_csv(rows, path)

    table = []
    labels, found, seconds = run_ilc(arguments.ilc, path, arguments.seed)
    table.append((f"ilc themes (k chosen: {found})", normalized_mutual_info_score(truth, labels),
                  adjusted_mutual_info_score(truth, labels), seconds))
    for name, (labels, seconds) in sklearn_pipelines([row[1] for row in rows], true_k, arguments.seed).items():
        table.append((f"{name} (true k = {true_k})", normalized_mutual_info_score(truth, labels),
                      adjusted_mutual_info_score(truth, labels), seconds))
    print(f"quality: {arguments.quality_size} labelled answers, {true_k} themes + 3 % about nothing")
    print(f"{'method':48} {'NMI':>6} {'AMI':>6} {'seconds':>8}")
    for name, nmi, ami, seconds in table:
        print(f"{name:48} {nmi:6.3f} {ami:6.3f} {seconds:8.2f}")

    if arguments.speed_size > 0:
        rows = corpus(arguments.speed_size, arguments.seed + 1)
        path = os.path.join(work, "speed.csv")
        write_csv(rows, path)
        _, found, ilc_seconds = run_ilc(arguments.ilc, path, arguments.seed)
        from sklearn.cluster import KMeans
        from sklearn.feature_extraction.text import TfidfVectorizer
        started = time.perf_counter()
        matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2, max_df=0.5).fit_transform(
            [row[1] for row in rows])
        KMeans(n_clusters=true_k, n_init=3, random_state=arguments.seed).fit(matrix)
        sklearn_seconds = time.perf_counter() - started
        print(f"speed: {arguments.speed_size} answers, one core")
        print(f"  ilc themes, choosing k itself ({found} found): {ilc_seconds:.2f} s")
        print(f"  scikit-learn TF-IDF + KMeans, k = {true_k} given:  {sklearn_seconds:.2f} s")
        print(f"  ilc is {sklearn_seconds / ilc_seconds:.2f}x as fast (target: at least 5x)")


if __name__ == "__main__":
    sys.exit(main())
