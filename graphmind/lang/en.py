"""English discourse cues: pure data, read by graphmind.extract.rules.

Each cue list is lowercase; multi-word cues are matched as phrases on word boundaries.
``*_START`` lists are matched only at the start of a unit (after an optional "and").
"""

LANG = "en"

# A new unit starts before these when they follow a comma, semicolon or dash.
CLAUSE_BREAKS = [
    "but", "because", "since", "for", "although", "though", "even though", "whereas",
    "while", "so", "so that", "and therefore", "and thus", "and so", "and hence",
    "and consequently", "which is why", "and that is why", "and furthermore", "and moreover",
    "and besides", "and also", "and in addition", "yet", "however", "as",
    "and it", "and they", "and we", "and this", "and that", "and there",
    "and the", "and what", "and those", "and if", "and when", "but still",
    "unless", "otherwise", "as long as", "and not", "which", "especially since",
    "in particular since", "not least because", "particularly because",
    "after all", "then", "this", "that is", "and all", "and many", "and a", "and their",
]
# A new unit starts before these even without a comma.
BARE_BREAKS = ["because", "unless", "since", "whereas", "although", "even though", "as long as"]
# A sentence that opens with one of these is split after the comma that closes it.
LEADING_SUBORDINATE = ["even if", "although", "though", "even though", "while", "whereas",
                       "if", "when", "as long as", "since", "because", "as", "whether or not",
                       "despite", "in spite of", "given that", "unless", "as soon as", "once"]

CONCLUSION = [
    "therefore", "thus", "hence", "consequently", "as a result", "for this reason",
    "for these reasons", "that is why", "which is why", "this is why", "it follows that",
    "in conclusion", "to conclude", "accordingly", "this shows that", "this means that",
    "all in all", "in short", "in sum", "to sum up", "ultimately",
]
CONCLUSION_START = ["so"]
PREMISE_START = [
    "because", "since", "for", "as", "given that", "after all", "the reason is",
    "due to the fact", "seeing that", "in view of", "not least because", "especially since",
    "particularly because", "considering that",
]
ADDITIVE_START = [
    "moreover", "furthermore", "in addition", "additionally", "besides", "also",
    "what is more", "what's more", "for one thing", "first", "firstly", "second", "secondly",
    "third", "thirdly", "first of all", "on top of that", "not to mention", "finally",
    "too", "likewise", "another", "plus",
]
CONTRAST_START = [
    "but", "however", "yet", "nevertheless", "nonetheless", "still", "on the other hand",
    "instead", "in contrast", "even so", "all the same", "but still", "rather", "though",
    "then again", "on the contrary", "that said",
]
CONCESSION_START = [
    "of course", "admittedly", "granted", "it is true that", "it's true that", "true",
    "yes", "certainly", "although", "though", "even though", "even if", "while", "whereas",
    "some people", "some say", "some argue", "some claim", "some think", "many people",
    "critics", "opponents", "one might", "one could", "it could be argued", "it may be that",
    "it might be", "on the one hand", "sure", "obviously", "no doubt", "unless", "it is often said",
    "there are", "there is", "proponents", "supporters",
]
EXAMPLE = ["for example", "for instance", "e.g.", "such as", "to illustrate", "a case in point",
           "take the case", "consider the case", "as an example", "including"]
SIMILE = ["as if", "as though", "like a", "like an", "like the"]
ANALOGY = ["just as", "in the same way", "similarly", "by analogy", "the same way",
           "is like", "are like", "is similar to", "is comparable to", "is analogous to",
           "much as", "no different from"]
DEFINITION = ["is defined as", "are defined as", "means", "refers to", "is called",
              "are called", "we call", "by which we mean", "is the term for", "denotes",
              "is known as", "stands for"]
NORMATIVE = [
    "should", "shouldn't", "must", "mustn't", "ought", "need to", "needs to", "have to",
    "has to", "it is necessary", "it is time", "it would be better", "cannot be allowed",
    "must not", "should not", "would be wise", "is the right", "is wrong", "is right",
    "is better", "are better", "it is essential", "it is important", "we need",
]
QUESTION_END = "?"
COPULAS = ["is", "are", "was", "were", "is a", "is an", "are a", "is the"]

# Nouns naming ideas rather than things: "X is a Y" with an abstract X and a concrete Y is a metaphor.
ABSTRACT_NOUNS = [
    "time", "life", "love", "idea", "ideas", "mind", "memory", "knowledge", "truth",
    "freedom", "democracy", "society", "language", "history", "thought", "thinking", "hope",
    "fear", "power", "justice", "death", "soul", "argument", "theory", "economy", "poverty",
    "science", "art", "education", "learning", "culture", "faith", "belief", "reason",
    "happiness", "grief", "anger", "attention", "consciousness", "progress", "bureaucracy",
    "government", "law", "writing", "reading", "meaning", "understanding", "habit",
    "childhood", "youth", "age", "money", "success", "failure", "information", "wisdom",
    "imagination", "curiosity", "doubt", "note", "notes", "research", "work",
]
CONCRETE_NOUNS = [
    "river", "sea", "ocean", "mirror", "fire", "flame", "tree", "forest", "road", "path",
    "bridge", "machine", "garden", "prison", "cage", "ladder", "war", "battle",
    "battlefield", "journey", "building", "house", "light", "storm", "wall", "door",
    "window", "seed", "root", "roots", "web", "map", "engine", "weapon", "drug", "game",
    "stage", "theatre", "theater", "labyrinth", "maze", "compass", "anchor", "ship",
    "island", "mountain", "desert", "swamp", "garden", "muscle", "mine", "minefield",
    "lens", "key", "lock", "chain", "thread", "fabric", "tapestry", "mosaic", "puzzle",
    "jungle", "zoo", "circus", "market", "marketplace", "river", "stream", "flood",
    "wave", "tide", "fog", "cloud", "star", "lighthouse", "beacon", "scaffold", "scaffolding",
    "skeleton", "backbone", "heart", "engine", "fuel", "poison", "medicine", "cancer",
    "virus", "disease", "plague", "compost", "soil", "harvest", "crop", "archive", "library",
]

STOPWORDS_EXTRA = ["also", "however", "therefore", "thus", "hence", "would", "could", "should",
                   "must", "might", "may", "can", "will", "shall", "one", "people", "thing", "things",
                   "way", "lot", "really", "even", "still", "yes", "course", "much", "many",
                   "more", "most", "like", "just", "make", "makes", "made", "get", "gets", "every"]

# Export prompts (chat and alpaca formats).
EXPORT_SYSTEM = ("You read texts in layers: which sentence is a claim, what supports it, where an image "
                 "carries an idea, where an objection attacks, and how it all resolves.")
EXPORT_INSTRUCTION = {
    "micro": "Name the relation between the units of this text and mark each unit's role.",
    "meso": "Unpack the reasoning chain in this text: the central claim, the reasons under it, "
            "the examples and images attached to them, and the objections.",
    "macro": "Unpack the structure of this whole text: its theme, its central claim, the claims "
             "and supports under it, and the synthesis.",
}
