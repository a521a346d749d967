"""English language data: pure data, read by graphmind.extract (segment, features, images)
and graphmind.read (heading words). No logic lives here.

Every list is lowercase; a multi-word cue is matched as a phrase on word boundaries, a space
matching any run of white space. ``*_START`` lists are matched only where a unit opens (after an
optional "and"); the others anywhere inside a unit.
"""

LANG = "en"
START_LEAD = "and"  # a conjunction that may stand before a start cue

# -- sentences -------------------------------------------------------------------------
# A period after one of these does not end a sentence (compared without the final period).
ABBREVIATIONS = [
    "e.g", "i.e", "etc", "vs", "cf", "dr", "mr", "mrs", "ms", "prof", "st", "no", "nos", "p", "pp",
    "fig", "figs", "approx", "ca", "jr", "sr", "vol", "ch", "sec", "ed", "eds", "inc", "ltd", "co",
    "corp", "dept", "est", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "a.m", "p.m", "u.s", "u.k",
    "ph.d", "b.a", "m.a", "e.g.,", "viz", "al", "resp", "min", "max",
]
# Abbreviations a sentence can end with ("… and so on, etc. Then …"): a capital after them
# starts a new sentence.
FINAL_ABBREVIATIONS = ["etc", "et al"]

# -- cutting a sentence into propositions ------------------------------------------------
# A new unit may start before these when a comma, semicolon, colon or dash stands before them,
# and both sides are propositions.
CLAUSE_BREAKS = [
    "but", "because", "since", "for", "although", "though", "even though", "even if", "whereas",
    "while", "so", "and so", "and therefore", "and thus", "and hence", "and consequently",
    "which is why", "and that is why", "that is why", "and furthermore", "and moreover",
    "and besides", "and also", "and in addition", "yet", "and yet", "however", "as", "but still",
    "otherwise", "especially since", "in particular since", "not least because",
    "particularly because", "after all", "and it", "and they", "and we", "and this", "and there",
    "and the", "and what", "and those", "and when", "and all", "and many", "and a", "and their",
    "and its", "and our", "and you", "and i", "and he", "and she", "and people", "and most",
    "and some", "and no", "and nobody", "and everyone", "and each", "and every", "and even",
    "but also", "and then", "or else", "and", "or",
]
# A plain "and" / "or" cuts only before a statement with its own subject: not before a verb
# ("…, and saying whether it agrees", "…, and found it closed": the same subject goes on).
COORDINATORS = ["and", "or"]
# A subject after the verb there is a question's inversion ("…, or will people game it?"): one question.
SUBJECT_AFTER_VERB_IS_NEW = False
# ... but not before these: "so that" opens a purpose, which stays with its clause.
CLAUSE_NOT_BREAKS = ["so that", "so as to"]
# A new unit may start before these even without punctuation.
BARE_BREAKS = ["because", "whereas", "although", "even though", "and therefore", "and thus", "and hence",
               "and consequently"]
# A sentence opening with one of these is cut after the comma that closes the opening clause
# (a concession or a reason stated first). Conditions ("if", "when") are not: they stay with
# the statement they limit.
LEADING_SUBORDINATE = [
    "although", "though", "even though", "even if", "while", "whereas", "despite the fact that",
    "in spite of the fact that", "because", "since", "as", "given that", "now that", "seeing that",
]
# After a comma and one of these such a clause goes on ("Even though critics argue, and many
# agree, that …", "Since rents rose, and wages did not, …"): it ends at the comma where the main
# clause starts.
LEADING_GOES_ON = ["that", "and", "or", "nor", "where", "when", "than"]
# A clause these open inside it is closed by another comma ("Although the plan, which nobody liked,
# failed, …"): that comma does not end the opening clause either.
LEADING_EMBEDDED = ["which", "who", "whom", "whose"]
# "not X but Y" is one unit: a "but" after one of these in the same clause does not cut.
NEGATIONS = ["not", "no", "never", "n't", "nor"]
CORRECTION_BREAKS = ["but", "but rather", "rather"]
# Who asked: the words after a question in direct speech ('"Did you sleep?" she asked.').
ASKING = ["asked", "wondered", "inquired", "enquired"]
# "X, but not Y" is the same correction the other way round: no cut before these words.
CORRECTION_AFTER = ["but not"]
# Words that make a clause a proposition (with any verb form of VERBS below).
AUXILIARIES = [
    "is", "are", "was", "were", "be", "been", "being", "am", "isn't", "aren't", "wasn't",
    "weren't", "has", "have", "had", "hasn't", "haven't", "hadn't", "do", "does", "did",
    "don't", "doesn't", "didn't", "can", "could", "will", "would", "shall", "should", "may",
    "might", "must", "can't", "cannot", "couldn't", "won't", "wouldn't", "shouldn't", "mustn't",
    "it's", "that's", "there's", "what's", "he's", "she's", "we're", "they're", "you're", "i'm",
    "i've", "we've", "they've", "you've", "i'd", "we'd", "they'd", "you'd", "let's", "ought",
]
# After these a word that can be a verb (any verb of the WordNet lexicon, in its -s, -ed or base
# form) is the clause's predicate: "it sounds", "she practises", "this means", "I reckon".
VERB_AFTER_SUBJECTS = ["i", "you", "we", "they", "he", "she", "it", "this", "that", "which", "who", "what",
                       "one", "everyone", "everybody", "someone", "somebody", "nobody", "anyone",
                       "everything", "something", "nothing",
                       # an adverb of frequency or degree between a subject and its verb: "police
                       # rarely catch", "a camera never tires", "customers often struggle"
                       "often", "never", "rarely", "seldom", "always", "usually", "sometimes",
                       "already", "really", "actually", "simply", "generally", "mostly",
                       # "most of them heal", "each of us knows"
                       "them", "us"]
# After these a verb's base form is finite ("we need", "people say").
SUBJECT_PRONOUNS = ["i", "you", "we", "they", "people", "who", "that", "which", "others", "many",
                    "some", "most", "all", "both", "children", "students", "citizens", "users", "cities",
                    "companies", "governments", "parents", "teachers", "readers", "writers", "we'd",
                    "not", "also", "often", "always", "never", "still", "only", "really", "usually",
                    "rarely", "simply", "just", "actually", "sometimes", "they'd", "i'd", "you'd"]
# Common verbs (base forms); their -s, -ed and -ing forms are derived.
VERBS = [
    "accept", "add", "affect", "agree", "allow", "answer", "appear", "apply", "argue", "arrive",
    "ask", "assume", "avoid", "become", "begin", "believe", "belong", "break", "bring", "build",
    "burn", "buy", "call", "care", "carry", "cause", "change", "check", "choose", "claim", "close",
    "come", "compare", "complain", "consider", "contain", "continue", "cost", "count", "create",
    "cut", "decide", "define", "demand", "depend", "describe", "deserve", "destroy", "die",
    "disappear", "discover", "do", "doubt", "draw", "drink", "drive", "drop", "earn", "eat",
    "encourage", "end", "enjoy", "enter", "escape", "exist", "expect", "explain", "fail", "fall",
    "fear", "feed", "feel", "fight", "fill", "find", "finish", "fit", "fix", "flow", "fly",
    "follow", "forget", "form", "gain", "get", "give", "go", "grow", "guess", "happen", "hate",
    "hear", "help", "hide", "hit", "hold", "hope", "hurt", "ignore", "imagine", "improve",
    "include", "increase", "invent", "join", "keep", "kill", "know", "lack", "last", "lead",
    "learn", "leave", "lend", "let", "lie", "like", "listen", "live", "look", "lose", "love",
    "make", "manage", "matter", "mean", "meet", "miss", "move", "need", "notice", "offer", "open",
    "pay", "pick", "place", "plan", "play", "point", "prefer", "prepare", "prevent", "produce",
    "promise", "protect", "prove", "provide", "pull", "push", "put", "raise", "reach", "read",
    "realize", "receive", "reduce", "refuse", "remain", "remember", "remove", "repeat", "replace",
    "reply", "require", "rest", "return", "rise", "risk", "run", "save", "say", "see", "seem",
    "sell", "send", "serve", "set", "shape", "share", "show", "shut", "sit", "sleep", "solve",
    "speak", "spend", "stand", "start", "stay", "stop", "study", "succeed", "suffer", "suggest",
    "support", "suppose", "take", "talk", "teach", "tell", "tend", "think", "throw", "touch",
    "train", "travel", "treat", "trust", "try", "turn", "understand", "use", "visit", "wait",
    "wake", "walk", "want", "warn", "wash", "waste", "watch", "water", "wear", "win", "wish",
    "wonder", "work", "worry", "write", "cover", "fade", "shrink", "sink", "swim", "sing", "shine",
    "spread", "steal", "stick", "strike", "swing", "weigh", "wrap", "last", "lift", "judge",
    "belong", "remind", "attract", "collapse", "compete", "connect", "depend", "differ", "earn",
    "fold", "unfold", "generate", "predict", "process", "reflect", "respond", "select", "store",
    "test", "translate", "vary", "recall", "measure", "outweigh", "undermine", "overlook",
]
# Irregular past forms and participles (beside those ending in -ed).
IRREGULAR_VERB_FORMS = [
    "became", "began", "begun", "broke", "broken", "brought", "built", "bought", "caught", "chose",
    "chosen", "came", "did", "done", "drew", "drawn", "drank", "drove", "driven", "ate", "eaten",
    "fell", "fallen", "fed", "felt", "fought", "found", "flew", "flown", "forgot", "forgotten",
    "got", "gotten", "gave", "given", "went", "gone", "grew", "grown", "heard", "hid", "hidden",
    "held", "kept", "knew", "known", "laid", "led", "left", "lent", "lay", "lain", "lost", "made",
    "meant", "met", "paid", "ran", "rose", "risen", "said", "saw", "seen", "sold", "sent", "set",
    "shook", "shaken", "shone", "shot", "showed", "shown", "shut", "sang", "sung", "sank", "sunk",
    "sat", "slept", "spoke", "spoken", "spent", "stood", "stole", "stolen", "struck", "swam",
    "swum", "took", "taken", "taught", "told", "thought", "threw", "thrown", "understood", "woke",
    "woken", "wore", "worn", "won", "wrote", "written", "spread", "cost", "cut", "hit", "hurt",
    "let", "put", "quit",
]

# Past-tense forms (beside regular ones in -ed): a unit told in the past is narrative.
PAST_FORMS = [
    "was", "were", "had", "did", "became", "began", "broke", "brought", "built", "bought", "caught", "chose",
    "came", "drew", "drank", "drove", "ate", "fell", "fed", "felt", "fought", "found", "flew", "forgot", "got",
    "gave", "went", "grew", "heard", "hid", "held", "kept", "knew", "laid", "led", "left", "lent", "lay", "lost",
    "made", "meant", "met", "paid", "ran", "rose", "said", "saw", "sold", "sent", "shook", "shone", "shot",
    "showed", "sang", "sank", "sat", "slept", "spoke", "spent", "stood", "stole", "struck", "swam", "took",
    "taught", "told", "thought", "threw", "understood", "woke", "wore", "won", "wrote", "could", "would",
    "used to", "wasn't", "weren't", "didn't", "hadn't",
]

# -- cues where a unit opens --------------------------------------------------------------
CONCLUSION_START = [
    "so", "therefore", "thus", "hence", "consequently", "as a result", "for this reason",
    "for these reasons", "that is why", "this is why", "that's why", "it follows that",
    "in conclusion", "to conclude", "accordingly", "all in all", "in short", "in sum", "to sum up",
    "ultimately", "in the end", "which is why", "this means that", "this shows that", "so then",
]
PREMISE_START = [
    "because", "since", "for", "as", "given that", "after all", "the reason is",
    "due to the fact", "seeing that", "in view of", "not least because", "especially since",
    "particularly because", "considering that", "on top of that", "what is more", "what's more",
]
ADDITIVE_START = [
    "moreover", "furthermore", "in addition", "additionally", "besides", "also", "for one thing",
    "first", "firstly", "second", "secondly", "third", "thirdly", "first of all", "finally",
    "not to mention", "likewise", "another", "plus", "and also", "add to this", "equally",
]
CONTRAST_START = [
    "but", "however", "yet", "nevertheless", "nonetheless", "still", "on the other hand",
    "instead", "in contrast", "even so", "all the same", "but still", "rather", "then again",
    "on the contrary", "that said", "and yet", "but then", "whereas", "by contrast",
    # the label of the author's answer in an outline: "Objection: … / Reply: …"
    "reply:", "answer:", "my answer:", "response:",
]
CONCESSION_START = [
    "of course", "admittedly", "granted", "it is true that", "it's true that", "true",
    "certainly", "although", "though", "even though", "even if", "while", "sure", "no doubt",
    "it may be that", "it might be", "on the one hand", "to be fair", "it is true", "indeed",
    "naturally", "obviously", "undeniably", "it cannot be denied", "i admit", "i grant",
    "despite", "in spite of", "yes", "right", "i should admit", "i must admit", "i have to admit",
    "i admit that", "i grant that", "it is fair to say", "fair enough",
]
# An opposing voice the author reports.
REPORT_START = [
    "some people", "some say", "some argue", "some claim", "some think", "some believe",
    "many people", "many say", "many argue", "many believe", "critics", "opponents", "skeptics",
    "sceptics", "one might", "one could", "one may", "it could be argued", "it can be argued",
    "it might be argued", "it is often said", "it is said", "people say", "they say",
    "you might think", "you could say", "others", "proponents", "supporters", "the objection",
    "an objection", "a common objection", "it is argued", "there are those", "some would say",
    "those who", "defenders", "advocates",
]
# The author's answer that grants a point but denies where it leads.
UNDERCUT_START = [
    "but that does not mean", "but this does not mean", "but that doesn't mean",
    "but this doesn't mean", "that does not mean", "this does not mean", "but it does not follow",
    "it does not follow", "but that is no reason", "but this is no reason", "that is no reason",
    "but that alone", "but this alone", "but this is not enough", "but that is not enough",
    "even so", "that does not make", "this does not make",
]
OPINION_START = [
    "i think", "i believe", "in my opinion", "in my view", "i am convinced", "i'm convinced",
    "i would argue", "i argue", "my view is", "to my mind", "i am sure", "i'm sure", "i suggest",
    "i propose", "i hold", "we should", "we must", "we need",
]
CONDITION_START = ["if", "when", "unless", "as long as", "provided that", "once", "whenever", "only if"]
EXAMPLE_START = [
    "for example", "for instance", "e.g.", "to illustrate", "take", "consider", "imagine",
    "a case in point", "as an example", "one example", "an example", "such as", "say",
]
RESTATEMENT_START = ["in other words", "that is", "i.e.", "that is to say", "put differently", "to put it"]
# Agreeing with what was just said (the author's side); "yes, …" before a "but" is a concession (above).
# A unit opening by pointing back at what was just said (it then usually attaches there).
ANAPHORA_START = ["this", "that", "these", "those", "such", "it", "they", "he", "she", "then", "this is why"]
AGREEMENT_START = ["exactly", "precisely", "quite so", "absolutely", "that's right", "just so"]

# -- cues anywhere in a unit -----------------------------------------------------------------
CONCLUSION = [
    "therefore", "thus", "hence", "consequently", "as a result", "for this reason", "in other words",
    ", then,", "i have concluded", "we can conclude", "the lesson is", "the point is", "what matters",
    "for these reasons", "that is why", "which is why", "this is why", "it follows that",
    "in conclusion", "accordingly", "this shows that", "this means that", "all in all",
]
EXAMPLE = ["for example", "for instance", "e.g.", "such as", "to illustrate", "a case in point",
           "take the case", "consider the case", "as an example", "including", "say,"]
SIMILE = ["as if", "as though", "like a", "like an", "like the", "like some", "resembles",
          "the way a", "the way an"]
ANALOGY = ["just as", "in the same way", "similarly", "by analogy", "the same way", "is like",
           "are like", "is similar to", "is comparable to", "is analogous to", "much as",
           "no different from", "works like", "acts like", "behaves like", "feels like", "work like",
           "act like", "behave like",
           "is not unlike", "the same is true of", "so too", "in the same manner"]
DEFINITION = ["is defined as", "are defined as", "means", "refers to", "is called",
              "are called", "we call", "by which we mean", "is the term for", "denotes",
              "is known as", "stands for", "is a kind of", "is a type of", "consists of",
              "is the name for", "by definition"]
# A unit that opens with a short subject (a few words, not a pronoun), one of these copulas, a noun
# and a word that says which one ("An embedding is a list of numbers that …", "An archive is a
# place where …") says what its subject is: a definition, unless it is an image. Without the
# qualifier it is mostly a judgement ("A birthday party is a private matter").
DEFINITION_COPULA = ["is a", "is an", "is just a", "is simply a", "is basically a", "is just an", "is simply an"]
DEFINITION_QUALIFIER = ["that", "which", "who", "whose", "where", "of", "for", "in which", "by which",
                        "used", "made", "designed", "meant"]
# ... unless the noun is judged rather than named ("a poor measure", "a small price", "a fair tax")
DEFINITION_NOT_PREDICATE = ["good", "bad", "better", "worse", "best", "worst", "poor", "great", "small",
                            "big", "huge", "tiny", "cheap", "expensive", "fair", "fairer", "unfair", "real",
                            "serious", "terrible", "wonderful", "useful", "useless", "valuable", "wise",
                            "foolish", "strange", "simple", "nice", "perfect", "dangerous", "safe", "waste"]
# Nouns that name a kind or a part of something (a definition's genus), never an image of it:
# "A token is a piece of a word".
DEFINITION_GENUS = ["piece", "part", "kind", "type", "sort", "form", "way", "set", "list", "group", "unit",
                    "collection", "sequence", "method", "tool", "measure", "number", "amount", "version"]
DEFINITION_NOT_SUBJECT = ["this", "that", "these", "those", "it", "he", "she", "they", "there", "what",
                          "which", "who", "one", "each", "everything", "nothing", "something", "life",
                          "my", "your", "his", "her", "our", "their", "of course", "in truth", "so", "but",
                          "and", "yet", "still"]
# Cues that settle a unit's type whatever else it holds.
DEFINITION_STRICT = ["is defined as", "are defined as", "by definition", "is the term for", "we call",
                     "is called", "are called", "refers to", "denotes", "stands for", "is known as"]
EXAMPLE_STRICT = ["for example", "for instance", "e.g.", "as an example", "a case in point"]
ANALOGY_STRICT = ["just as", "in the same way that", "in the same way as", "much as a", "much as the"]
NORMATIVE = [
    "should", "shouldn't", "must", "mustn't", "ought", "need to", "needs to", "have to",
    "has to", "it is necessary", "it is time", "it would be better", "cannot be allowed",
    "must not", "should not", "would be wise", "is the right", "is wrong", "is right",
    "is better", "are better", "it is essential", "it is important", "we need", "deserve",
    "deserves", "worth", "better off", "makes sense", "is a mistake", "is unfair", "is fair",
    "is justified", "is unjustified", "is crucial", "is vital", "no reason to", "high time",
]
EVALUATIVE = [
    "good", "bad", "better", "worse", "best", "worst", "important", "useful", "useless",
    "harmful", "valuable", "dangerous", "unfair", "fair", "wrong", "right", "wise", "foolish",
    "great", "terrible", "beneficial", "effective", "pointless", "essential", "necessary",
]
HEDGES = ["perhaps", "maybe", "possibly", "probably", "it seems", "seems", "might", "arguably",
          "likely", "unlikely", "presumably", "apparently"]
# A voice the author reports in the middle of a sentence: a third party's verb of saying or
# believing with the clause it governs ("Employers fear that …", "Fans say they …"). A first-person
# subject before it makes it the author's own ("I would argue that …"): the features look at that.
REPORTING = [
    "say that", "says that", "said that", "argue that", "argues that", "argued that", "claim that",
    "claims that", "claimed that", "insist that", "insists that", "object that", "objects that",
    "reply that", "replies that", "respond that", "responds that", "counter that", "counters that",
    "fear that", "fears that", "worry that", "worries that", "complain that", "complains that",
    "warn that", "warns that", "point out that", "points out that", "maintain that",
    "maintains that", "contend that", "contends that", "believe that", "believes that",
    "think that", "thinks that", "feel that", "feels that", "assume that", "assumes that",
    "hold that", "holds that", "are told", "were told", "we are told", "we're told",
    "you will hear", "you'll hear", "will tell you", "would say", "might say", "will say",
    "will object", "might object", "would object", "will reply", "might reply", "according to",
    "in their view", "in the view of", "from their point of view",
]
# A concession inside a sentence, not at its start ("It is slower, of course").
CONCESSION_INSIDE = [
    "of course", "admittedly", "granted", "to be sure", "true enough", "it is true", "it's true",
]
FIRST_PERSON = ["i", "me", "my", "we", "our", "us", "myself", "ourselves"]
COPULAS = ["is", "are", "was", "were", "is a", "is an", "are a", "is the", "becomes", "become"]
QUESTION_END = "?"

# -- images: what makes a copular or genitive phrase a metaphor ------------------------------
# Nouns naming ideas rather than things (besides the suffixes below).
ABSTRACT_NOUNS = [
    "time", "life", "love", "idea", "mind", "memory", "knowledge", "truth", "freedom",
    "democracy", "society", "language", "history", "thought", "thinking", "hope", "fear", "power",
    "justice", "death", "soul", "argument", "theory", "economy", "poverty", "science", "art",
    "education", "learning", "culture", "faith", "belief", "reason", "happiness", "grief",
    "anger", "attention", "consciousness", "progress", "bureaucracy", "government", "law",
    "writing", "reading", "meaning", "understanding", "habit", "childhood", "youth", "age",
    "money", "success", "failure", "information", "wisdom", "imagination", "curiosity", "doubt",
    "note", "research", "work", "context", "model", "memory", "grammar", "logic", "sleep",
    "focus", "silence", "trust", "friendship", "marriage", "career", "crisis", "debt", "tax",
    "taxes", "inflation", "market", "policy", "politics", "religion", "theory", "habit", "skill",
    "practice", "craft", "experience", "emotion", "feeling", "mood", "will", "self", "identity",
    "symbol", "sense", "goal", "plan", "problem", "question", "answer", "method", "system",
    "future", "past", "present", "day", "week", "year", "morning", "evening", "childhood",
    "conversation", "dialogue", "story", "text", "word", "words", "sentence", "paragraph", "data",
    "algorithm", "code", "prompt", "token", "tokens", "learning", "training", "fine-tuning",
]
# Suffixes that mark an abstract noun (a cheap signal: -ness, -tion, ...).
ABSTRACT_SUFFIXES = ["ness", "tion", "sion", "ity", "ism", "ment", "ance", "ence", "ship", "hood",
                     "dom", "acy", "ology", "ics", "ure"]
# Concrete images by source domain (conceptual-metaphor source domains: body, building,
# container, journey, plant, water, fire, light, war, machine, weight, animal, weather, food …).
CONCRETE_NOUNS = [
    # nature and landscape
    "river", "sea", "ocean", "lake", "stream", "current", "flood", "wave", "tide", "spring",
    "well", "rain", "storm", "wind", "fog", "cloud", "snow", "ice", "sun", "moon", "star", "sky",
    "horizon", "mountain", "hill", "valley", "cliff", "abyss", "desert", "swamp", "forest",
    "jungle", "island", "shore", "coast", "soil", "ground", "earth", "dust", "stone", "rock",
    "sand", "mud",
    # plants and growth
    "garden", "tree", "root", "roots", "seed", "seeds", "branch", "leaf", "flower", "fruit",
    "harvest", "crop", "weed", "weeds", "soil", "compost", "forest", "grove",
    # buildings and containers
    "house", "home", "building", "wall", "walls", "door", "window", "room", "roof", "floor",
    "foundation", "pillar", "bridge", "tower", "cage", "prison", "cell", "fortress", "castle",
    "ruin", "ruins", "labyrinth", "maze", "box", "vessel", "cup", "bottle", "bucket", "basket",
    "drawer", "shelf", "attic", "cellar", "scaffold", "scaffolding", "archive", "library",
    "museum", "temple", "altar", "gate", "staircase", "ladder", "stairs", "corridor",
    # journey and movement
    "road", "path", "journey", "trip", "voyage", "map", "compass", "crossroads", "route", "track",
    "destination", "vehicle", "train", "ship", "boat", "anchor", "sail", "harbour", "harbor",
    "lighthouse", "beacon", "engine", "fuel", "wheel", "wheels", "brake", "bridge",
    # body
    "heart", "muscle", "muscles", "skeleton", "backbone", "spine", "blood", "breath", "lungs",
    "eye", "eyes", "hand", "hands", "skin", "wound", "scar", "nerve", "nerves", "brain",
    "stomach", "appetite", "hunger", "thirst", "pulse", "fever", "body",
    # fire, light and darkness
    "fire", "flame", "spark", "ash", "ashes", "smoke", "light", "lamp", "candle", "torch",
    "shadow", "shadows", "darkness", "mirror", "lens", "window", "prism", "glass",
    # war and conflict
    "war", "battle", "battlefield", "weapon", "weapons", "sword", "shield", "armour", "armor",
    "army", "soldier", "enemy", "siege", "trench", "front", "bomb", "minefield", "mine",
    "bullet", "trap",
    # machines and tools
    "machine", "engine", "motor", "gear", "gears", "lever", "clock", "tool", "toolbox", "key",
    "lock", "chain", "chains", "rope", "thread", "knot", "net", "web", "fabric", "tapestry",
    "mosaic", "puzzle", "filter", "sieve", "magnet", "battery", "switch", "valve", "pipe",
    "funnel", "hammer", "knife", "scalpel", "needle", "scissors",
    # weight and burden
    "burden", "weight", "load", "anchor", "ballast", "yoke", "stone", "millstone",
    # disease and medicine
    "disease", "illness", "cancer", "virus", "plague", "epidemic", "poison", "venom", "medicine",
    "cure", "drug", "drugs", "pill", "vaccine", "infection", "tumour", "tumor", "remedy",
    # animals
    "beast", "monster", "wolf", "wolves", "sheep", "snake", "spider", "bird", "birds", "cage",
    "nest", "hive", "bee", "bees", "animal", "parasite", "leech", "vulture", "shark", "shell",
    # play, stage and games
    "stage", "theatre", "theater", "mask", "puppet", "puppets", "circus", "zoo",
    "orchestra", 
    # food and cooking
    "bread", "salt", "sugar", "honey", "soup", "ingredient", "ingredients", "kitchen",
    "oven", "food", "fuel", "juice", "wine",
    # trade and money as images
    "marketplace", "bazaar", "bank", "vault", "treasure", "gold",
    "jewel", "diamond", 
    # other common images
    "skeleton", "ghost", "ghosts", "shadow", "wall", "ceiling", "floor", "window",
    "river", "ocean", "cathedral", "hologram", "wand", "oracle", "spark",
    "seedbed", "greenhouse", "muscle", "scar", "echo", "footprint", "fingerprint", "signpost",
    "crutch", "lifeline", "sponge", "blueprint", "skeleton", "glue", "cement", "mortar",
]
# Verbs of physical action: with an abstract subject or object they speak in images
# ("poverty grips", "feed curiosity", "the idea took root").
PHYSICAL_VERBS = [
    "grip", "grab", "seize", "crush", "squeeze", "strangle", "choke", "drown", "bury", "dig",
    "plant", "sow", "grow", "bloom", "blossom", "wither", "rot", "harvest", "water", "feed",
    "starve", "swallow", "devour", "digest", "chew", "bite", "burn", "ignite", "kindle", "melt",
    "freeze", "boil", "cool", "flood", "flow", "pour", "leak", "drain", "soak", "wash", "sweep",
    "fight", "battle", "attack", "defend", "wound", "kill", "strike", "shoot", "bomb", "invade",
    "conquer", "surrender", "march", "build", "construct", "collapse", "crumble", "demolish",
    "erode", "weigh", "carry", "shoulder", "lift", "drag", "push", "pull", "climb", "fall",
    "stumble", "walk", "run", "fly", "soar", "sink", "float", "steer", "navigate", "anchor",
    "knit", "weave", "stitch", "tie", "untie", "unravel", "cut", "slice", "sharpen", "polish",
    "heal", "cure", "poison", "infect", "bleed", "breathe", "suffocate", "nourish", "plague",
    "haunt", "shine", "illuminate", "darken", "shadow", "mirror", "echo", "cage", "imprison",
    "unlock", "lock", "open", "close", "fuel", "drive", "accelerate", "brake", "crash", "spark",
    "trap", "hunt", "chase", "tame", "unleash", "swallow", "spill", "plant", "uproot", "prune",
    "fertilize", "sprout", "blossom", "ripen", "stretch", "tear", "shatter", "fracture", "mend",
    "patch", "forge", "hammer", "mold", "mould", "sculpt", "paint", "sketch", "cradle", "nurse",
    "breed", "hatch", "nest", "cement", "glue", "bridge", "wall", "fence", "dam", "channel",
]
# A noun + "of" + noun phrase is read as an image when the first noun is concrete and the
# second abstract ("the horizon of the model's breath", "the weight of tradition").
GENITIVE_LINK = ["of"]
# Adjectives of physical properties (weight, temperature, taste, light, texture, material); with
# an abstract noun they are images ("bitter truth", "a heavy silence").
PHYSICAL_ADJECTIVES = [
    "heavy", "hot", "cold", "warm", "cool", "icy", "frozen", "sharp", "blunt", "soft", "smooth",
    "rough", "sticky", "wet", "dry", "bitter", "sweet", "sour", "salty", "bright", "dim", "dark",
    "transparent", "murky", "muddy", "fragile", "brittle", "solid", "hollow", "rusty",
    "rotten", "raw", "naked", "thorny", "iron", "steel", "stone", "wooden", "glass", "golden",
    "fiery", "bloody", "poisonous", "toxic", "slippery", "dusty", "foggy", "stormy", "burning",
    "boiling", "melting", "crystal", "velvet", "silky", "leaden", "feverish", "frosty", "glowing",
]
# Verbs that are delexicalised with an abstract object ("take a decision", "make progress"):
# never an image.
LIGHT_VERBS = [
    "be", "have", "do", "make", "take", "give", "get", "go", "come", "put", "set", "keep", "let",
    "use", "seem", "become", "find", "show", "bring", "hold", "leave", "turn", "follow", "need",
    "want", "meet", "reach", "serve", "lead", "place", "pass", "stop", "start", "end", "begin",
    "continue", "stay", "remain", "apply", "face", "play", "act", "call", "mean", "look", "provide",
    "include", "involve", "require", "allow", "help", "support", "affect", "enjoy", "join", "return",
    "enter", "send", "receive", "deliver", "employ", "treat", "mark", "file", "pick", "seek",
    "manage", "deal", "handle", "run", "stand", "sit", "lie", "move", "form",
]
# Nouns too worn to be images (parts, sides, measures, places, kinds), and adjectives of size.
IMAGE_STOPWORDS = [
    "way", "part", "side", "point", "end", "level", "field", "area", "form", "kind", "type", "sort",
    "lot", "piece", "bit", "number", "amount", "top", "bottom", "front", "back", "center",
    "centre", "middle", "place", "line", "case", "thing", "stuff", "item", "element", "unit",
    "half", "quarter", "rest", "whole", "body", "head", "hand", "face", "sense", "term", "range",
    "scale", "position", "step", "course", "state", "matter", "member", "group", "space",
    # adjectives of size and age: they measure anything
    "short", "long", "big", "small", "large", "little", "high", "low", "great", "huge", "tiny",
    "new", "old", "young", "full", "wide", "broad", "tall",
]
# Function words, for reading a unit's words in order (the image constructions).
DETERMINERS = ["a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "its",
               "our", "their", "some", "any", "no", "every", "each", "another", "such", "much", "many",
               "more", "most", "few", "several", "all", "both", "either", "neither",
               "less", "other", "one's", "same", "own", "only", "very", "so", "too", "quite", "rather"]
PREPOSITIONS = ["of", "in", "on", "at", "to", "for", "with", "by", "from", "into", "onto", "over",
                "under", "through", "across", "between", "among", "against", "about", "behind",
                "beyond", "within", "without", "towards", "toward", "upon", "along", "around",
                "before", "after", "during", "like", "than", "as", "per", "via", "despite"]
PRONOUNS = ["i", "you", "he", "she", "it", "we", "they", "everything", "nothing", "something",
            "anything", "everyone", "someone", "nobody", "anyone", "there", "here"]
OBJECT_PRONOUNS = ["me", "him", "us", "them", "itself", "themselves", "himself", "herself", "myself",
                   "yourself", "ourselves"]
RELATIVES = ["which", "who", "whom", "whose", "what", "where", "when", "while", "that", "if", "because", "since", "although",
             "though", "unless", "whether", "how", "why"]
PARTICLES = ["up", "down", "away", "off", "out", "back", "apart", "together", "aside", "just",
             "even", "also", "still", "already", "often", "always", "never", "ever", "now", "then",
             "again", "once", "almost", "merely", "simply", "really", "not"]
CONJUNCTIONS = ["and", "or", "but", "nor", "yet", "so"]
# Nouns of time: "a warm evening", "twice a year" speak of time, not of an idea.
TIME_NOUNS = ["second", "minute", "hour", "day", "week", "month", "year", "decade", "century",
              "morning", "afternoon", "evening", "night", "weekend", "season", "spring", "summer",
              "autumn", "fall", "winter", "monday", "tuesday", "wednesday", "thursday", "friday",
              "saturday", "sunday", "today", "tomorrow", "yesterday", "moment", "while", "term",
              "semester", "holiday", "noon", "midnight", "dawn", "dusk"]
# Similes that need no abstract word beside them (a counterfactual comparison is figurative), and
# the analogy cues that compare with a thing ("works like a vaccine").
SIMILE_STRONG = ["as if", "as though"]
COMPARISON_CUES = ["is like", "are like", "works like", "acts like", "behaves like", "feels like",
                   "is not unlike", "is similar to", "is comparable to", "work like", "act like",
                   "behave like", "feel like"]
# A bare "like" before a concrete noun is a simile too ("spread like ink in water"), unless an
# example follows a class ("cities like Paris": the noun must be concrete and the unit abstract).
SIMILE_BARE = ["like"]
# A bare comparison word right after a noun introduces examples of it ("tools like Obsidian").
EXAMPLE_AFTER_NOUN = ["like"]
SIMILE_BARE_BLOCKERS = ["just", "would", "i", "you", "we", "they", "feel", "feels", "looks", "look"]
# Copulas after which the predicate noun can be an image ("memory is a river").
IMAGE_COPULAS = ["is", "are", "was", "were", "be", "been", "becomes", "become", "became", "remains",
                 "remain", "'s", "isn't", "aren't", "wasn't", "weren't"]
# Words that join a second predicate noun phrase: "not a storeroom but a workshop".
IMAGE_COORDINATORS = ["but", "and", "or", "not", "rather", "than", "merely", "just", "only", "simply"]
# Thresholds on the concreteness lexicon, chosen on the project's own corpus
# (scripts/choose_image_thresholds.py): a noun is abstract at most "abstract" (its usual
# senses), a source of images from "source" (its basic sense); verbs and adjectives likewise.
IMAGE_THRESHOLDS = {"abstract": 0.3, "source": 0.6, "verb": 0.9, "verb_usual": 0.0, "adjective": 0.8}

# The author's answer inside a paragraph after an objection: "That is true, but …".
ANSWER_BREAKS = ["but", "however", "yet", "nevertheless", "still"]

# -- words that carry a role in headings (the reader and the document tree) ------------------
# A heading that opens with one of these and asks no question names a topic ("How a model reads
# a sentence", "Why habits matter"): it is a theme, not a claim.
TOPIC_HEADING_START = ["how", "why", "what", "when", "where", "which", "who", "whether"]
HEADING_ROLES = {
    "thesis": "claim", "claim": "claim", "main idea": "claim", "key idea": "claim", "idea": "claim",
    "conclusion": "conclusion", "summary": "conclusion", "in summary": "conclusion",
    "takeaway": "conclusion", "takeaways": "conclusion", "bottom line": "conclusion",
    "tl;dr": "conclusion", "synthesis": "conclusion", "result": "conclusion",
    "why": "premise", "reason": "premise", "reasons": "premise", "because": "premise",
    "argument": "premise", "arguments": "premise", "evidence": "premise",
    "example": "example", "examples": "example", "for example": "example", "case": "example",
    "analogy": "analogy", "metaphor": "metaphor", "image": "metaphor",
    "objection": "objection", "objections": "objection", "counterargument": "objection",
    "counterarguments": "objection", "criticism": "objection", "caveat": "objection",
    "caveats": "objection", "limitations": "objection",
    "definition": "definition", "definitions": "definition", "terms": "definition",
    "question": "question", "questions": "question",
    # questions the author leaves open: nothing after them answers them
    "open question": "open question", "open questions": "open question", "unresolved": "open question",
    "unanswered questions": "open question", "questions for later": "open question",
    "still unclear": "open question", "to think about": "open question", "to find out": "open question",
}

STOPWORDS_EXTRA = ["also", "however", "therefore", "thus", "hence", "would", "could", "should",
                   "must", "might", "may", "can", "will", "shall", "one", "people", "thing", "things",
                   "way", "lot", "really", "even", "still", "yes", "course", "much", "many",
                   "more", "most", "like", "just", "make", "makes", "made", "get", "gets", "every"]
