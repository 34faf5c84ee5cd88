import ILCAnalysis
import Testing

@Suite struct EnglishStemmerTests {
    /// Pairs from the Snowball project's published English vocabulary and its stemmed
    /// output (snowball-data, `english/voc.txt` and `english/output.txt`, BSD licence):
    /// the first entries of the files, then words chosen so that every step and most
    /// of its rules are used.
    static let publishedPairs: [(String, String)] = [
        ("'", "'"), ("''", "''"), ("'''", "'"), ("'a", "'a"), ("'a'", "a"), ("'aa", "aa"), ("'aa'", "aa"),
        ("'as", "as"), ("'as'", "as"), ("'s", "'s"), ("'s'", "s"), ("a", "a"), ("a'", "a'"), ("a''", "a'"),
        ("aa'", "aa"), ("aaron", "aaron"), ("aback", "aback"), ("abaissiez", "abaissiez"), ("abandon", "abandon"),
        ("abandoned", "abandon"), ("abandoning", "abandon"), ("abandonment", "abandon"), ("abandons", "abandon"),
        ("abase", "abas"), ("abasement", "abas"), ("abash", "abash"), ("abashed", "abash"), ("abate", "abat"),
        ("abated", "abat"), ("abatement", "abat"), ("abatements", "abat"), ("abates", "abat"),
        ("abattement", "abatt"), ("abbe", "abb"), ("abbess", "abbess"), ("abbey", "abbey"), ("abbeys", "abbey"),
        ("abbominable", "abbomin"), ("abbot", "abbot"), ("abbots", "abbot"), ("abbott", "abbott"),
        ("abbreviated", "abbrevi"), ("abbreviation", "abbrevi"), ("abdicate", "abdic"), ("abdicating", "abdic"),
        ("abdication", "abdic"), ("abdomen", "abdomen"), ("abdominal", "abdomin"), ("abduction", "abduct"),
        ("abe", "abe"), ("abear", "abear"), ("abed", "abe"), ("abel", "abel"), ("aberga", "aberga"),
        ("abergavenny", "abergavenni"), ("aberration", "aberr"), ("abershaw", "abershaw"), ("abet", "abet"),
        ("abetting", "abet"), ("abettor", "abettor"), ("abeyance", "abey"), ("abhominable", "abhomin"),
        ("abhor", "abhor"), ("abhorr", "abhorr"), ("abhorred", "abhor"), ("abhorrence", "abhorr"),
        ("abhorring", "abhor"), ("abhors", "abhor"), ("abhorson", "abhorson"), ("abide", "abid"), ("abides", "abid"),
        ("abiding", "abid"), ("abilities", "abil"), ("ability", "abil"), ("abimee", "abime"),
        ("accountabilities", "account"), ("accountability", "account"), ("accountable", "account"),
        ("accountant", "account"), ("acquaintanceship", "acquaintanceship"), ("actively", "activ"),
        ("activity", "activ"), ("add", "add"), ("added", "add"), ("adder", "adder"), ("adders", "adder"),
        ("addeth", "addeth"), ("addict", "addict"), ("addicted", "addict"), ("addiction", "addict"), ("adding", "add"),
        ("adopt", "adopt"), ("adopted", "adopt"), ("adoptedly", "adopt"), ("adopting", "adopt"), ("adoption", "adopt"),
        ("adoptious", "adopti"), ("adopts", "adopt"), ("aesthetically", "aesthet"), ("aestivation", "aestiv"),
        ("agencies", "agenc"), ("agency", "agenc"), ("ago", "ago"), ("agone", "agon"), ("agonies", "agoni"),
        ("agonised", "agonis"), ("agonising", "agonis"), ("agonisingly", "agonis"), ("agonized", "agon"),
        ("agonizing", "agon"), ("agony", "agoni"), ("agree", "agre"), ("agreeable", "agreeabl"),
        ("agreeably", "agreeabl"), ("agreed", "agre"), ("agreeing", "agre"), ("agreement", "agreement"),
        ("agrees", "agre"), ("ailments", "ailment"), ("airily", "airili"), ("airlessness", "airless"),
        ("alarmingly", "alarm"), ("allicholy", "allicholi"), ("allied", "alli"), ("allies", "alli"),
        ("already", "alreadi"), ("alternately", "altern"), ("alternative", "altern"), ("always", "alway"),
        ("amaz", "amaz"), ("amaze", "amaz"), ("amazed", "amaz"), ("amazedly", "amaz"), ("amazedness", "amazed"),
        ("amazement", "amaz"), ("amazes", "amaz"), ("amazeth", "amazeth"), ("amazing", "amaz"), ("amazingly", "amaz"),
        ("amiabilities", "amiabl"), ("amiability", "amiabl"), ("amiable", "amiabl"), ("amiably", "amiabl"),
        ("amicability", "amic"), ("amicable", "amic"), ("amicably", "amic"), ("analyse", "analys"),
        ("analysed", "analys"), ("analysing", "analys"), ("analysis", "analysi"), ("analyze", "analyz"),
        ("analyzed", "analyz"), ("andes", "andes"), ("animal", "anim"), ("animalcula", "animalcula"),
        ("animalcule", "animalcul"), ("animalized", "anim"), ("animals", "anim"), ("animas", "anima"),
        ("animate", "anim"), ("animation", "anim"), ("animosity", "animos"), ("any", "ani"), ("anybody", "anybodi"),
        ("anything", "anyth"), ("anyways", "anyway"), ("anywhere", "anywher"), ("apologetic", "apologet"),
        ("apologetically", "apologet"), ("appliance", "applianc"), ("applicable", "applic"),
        ("application", "applic"), ("applied", "appli"), ("applies", "appli"), ("apply", "appli"),
        ("applying", "appli"), ("approvingly", "approv"), ("approximately", "approxim"), ("aptly", "apt"),
        ("aptness", "apt"), ("arbiter", "arbit"), ("arbitrarily", "arbitrarili"), ("arbitrary", "arbitrari"),
        ("arbitrement", "arbitr"),
    ]

    @Test func stemsThePublishedVocabularyAsPublished() {
        let stemmer = EnglishStemmer()
        var wrong: [String] = []
        for (word, expected) in Self.publishedPairs where stemmer.stem(word) != expected {
            wrong.append("\(word) → \(stemmer.stem(word)), published \(expected)")
        }
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "; "))")
    }

    /// The definition's own special cases.
    @Test(arguments: [
        ("skis", "ski"), ("skies", "sky"), ("dying", "die"), ("lying", "lie"), ("tying", "tie"), ("idly", "idl"),
        ("gently", "gentl"), ("ugly", "ugli"), ("early", "earli"), ("only", "onli"), ("singly", "singl"),
        ("news", "news"), ("atlas", "atlas"), ("inning", "inning"), ("innings", "inning"), ("succeeding", "succeed"),
        ("proceeds", "proceed"), ("generate", "generat"), ("communism", "communism"), ("arsenal", "arsenal"),
    ])
    func specialCases(word: String, stem: String) {
        #expect(EnglishStemmer().stem(word) == stem)
    }

    /// The words of ILC surveys land together.
    @Test func surveyVocabularyConflates() {
        let stemmer = EnglishStemmer()
        #expect(stemmer.stem("absences") == stemmer.stem("absence"))
        #expect(stemmer.stem("absenteeism") == "absente")
        #expect(stemmer.stem("collaboration") == stemmer.stem("collaborate"))
        #expect(stemmer.stem("engaged") == stemmer.stem("engagement"))
        #expect(stemmer.stem("interventions") == stemmer.stem("intervention"))
        #expect(stemmer.stem("grading") == stemmer.stem("grades"))
    }
}
