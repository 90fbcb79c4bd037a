// The texts of the proposal list and page, Arabic then French.

import Foundation

extension Localized {
    package static let proposals = Localized(ar: "المقترحات", fr: "Propositions")
    package static let title = Localized(ar: "العنوان", fr: "Titre")
    package static let commune = Localized(ar: "الجماعة", fr: "Commune")
    package static let status = Localized(ar: "الحالة", fr: "Statut")
    package static let category = Localized(ar: "الفئة", fr: "Catégorie")
    package static let supports = Localized(ar: "دعم", fr: "Soutiens")
    package static let createdAt = Localized(ar: "تاريخ الإيداع", fr: "Déposée le")
    package static let conflict = Localized(ar: "تعارض", fr: "Conflit")
    package static let withdrawn = Localized(ar: "مسحوب", fr: "Retirée")
    package static let hidden = Localized(ar: "محجوب", fr: "Masquée")
    package static let noProposals = Localized(ar: "لا توجد مقترحات بعد.", fr: "Aucune proposition pour l’instant.")
    package static let noMatch = Localized(
        ar: "لا يوجد مقترح يطابق هذه المعايير.",
        fr: "Aucune proposition ne correspond à ces critères."
    )
    package static let search = Localized(ar: "بحث", fr: "Recherche")
    package static let searchHint = Localized(
        ar: "كلمات من العنوان أو النص أو الجواب",
        fr: "Mots du titre, du texte ou de la réponse"
    )
    package static let allCommunes = Localized(ar: "كل الجماعات", fr: "Toutes les communes")
    package static let allStatuses = Localized(ar: "كل الحالات", fr: "Tous les statuts")
    package static let allCategories = Localized(ar: "كل الفئات", fr: "Toutes les catégories")
    package static let fromDate = Localized(ar: "من تاريخ", fr: "Du")
    package static let toDate = Localized(ar: "إلى تاريخ", fr: "Au")
    package static let filter = Localized(ar: "تصفية", fr: "Filtrer")
    package static let reset = Localized(ar: "إلغاء التصفية", fr: "Effacer les filtres")
    package static let showing = Localized(ar: "%1–%2 من أصل %3", fr: "%1–%2 sur %3")
    package static let pages = Localized(ar: "الصفحات", fr: "Pages")
    package static let previous = Localized(ar: "السابق", fr: "Précédent")
    package static let next = Localized(ar: "التالي", fr: "Suivant")

    package static let openConflicts = Localized(ar: "تعارضات مفتوحة", fr: "Conflits ouverts")
    package static let enteredOn = Localized(ar: "أودع في %@", fr: "Déposée le %@")
    package static let officialAnswer = Localized(ar: "الجواب الرسمي للإقليم", fr: "Réponse officielle de la province")
    package static let noAnswerYet = Localized(
        ar: "لم يُجب عن هذا المقترح بعد.",
        fr: "Cette proposition n’a pas encore de réponse."
    )
    package static let proposalText = Localized(ar: "نص المقترح", fr: "Texte de la proposition")
    package static let answerAndStatus = Localized(ar: "الجواب وتغيير الحالة", fr: "Répondre et changer le statut")
    package static let saveAnswer = Localized(ar: "حفظ الجواب والحالة", fr: "Enregistrer la réponse et le statut")
    package static let editProposal = Localized(ar: "تعديل المقترح", fr: "Modifier la proposition")
    package static let history = Localized(ar: "السجل", fr: "Historique")
    package static let historyHint = Localized(
        ar: "كل كتابة عرفتها هذه النسخة عن المقترح: أين ومتى، والحقول التي ما زالت تعرض قيمتها.",
        fr:
            "Chaque écriture connue ici de cette proposition : où et quand, et les champs qui montrent encore sa valeur."
    )
    package static let when = Localized(ar: "متى", fr: "Quand")
    package static let writtenAt = Localized(ar: "أين", fr: "Où")
    package static let sequence = Localized(ar: "الرقم", fr: "N°")
    package static let fieldsShown = Localized(ar: "الحقول المعروضة منها", fr: "Champs encore affichés")

    package static let comments = Localized(ar: "التعليقات", fr: "Commentaires")
    package static let noComments = Localized(ar: "لا توجد تعليقات بعد.", fr: "Pas encore de commentaire.")
    package static let commentDeleted = Localized(ar: "تم حذف هذا التعليق.", fr: "Ce commentaire a été supprimé.")
    package static let reply = Localized(ar: "رد", fr: "Répondre")
    package static let anonymous = Localized(ar: "مواطن(ة)", fr: "Citoyen·ne")
    package static let newComment = Localized(ar: "تعليق جديد", fr: "Nouveau commentaire")
    package static let yourReply = Localized(ar: "ردك", fr: "Votre réponse")
    package static let alignment = Localized(ar: "الموقف من المقترح", fr: "Position sur la proposition")
    package static let author = Localized(ar: "الاسم (اختياري)", fr: "Nom (facultatif)")
    package static let addComment = Localized(ar: "إضافة التعليق", fr: "Ajouter le commentaire")

    package static let conflictHint = Localized(
        ar:
            "عُدِّل هذا الحقل في مكانين قبل أن يرى أحدهما تعديل الآخر. احتفظ بإحدى القيم أو اكتب قيمة تجمع بينها؛ يصل القرار إلى كل الجماعات عند مزامنتها المقبلة.",
        fr:
            "Ce champ a été modifié à deux endroits avant que l’un voie la modification de l’autre. Gardez une valeur ou écrivez-en une qui les combine ; la décision parvient à chaque commune à sa prochaine synchronisation."
    )
    package static let keepThis = Localized(ar: "الاحتفاظ بهذه القيمة", fr: "Garder cette valeur")
    package static let shownNow = Localized(ar: "المعروضة حاليا", fr: "Affichée")
    package static let concurrentValue = Localized(ar: "قيمة متزامنة", fr: "Valeur concurrente")
    package static let combine = Localized(ar: "كتابة قيمة تجمع بينها", fr: "Écrire une valeur combinée")
    package static let combinedValue = Localized(ar: "القيمة الجديدة", fr: "Nouvelle valeur")
    package static let saveCombined = Localized(ar: "حفظ هذه القيمة", fr: "Enregistrer cette valeur")
}

extension Localized {
    package static let conflicts = Localized(ar: "التعارضات", fr: "Conflits")
    package static let noConflicts = Localized(ar: "لا يوجد أي تعارض مفتوح.", fr: "Aucun conflit ouvert.")
    package static let field = Localized(ar: "الحقل", fr: "Champ")
    package static let values = Localized(ar: "القيم المتزامنة", fr: "Valeurs concurrentes")
    package static let conflictsIntro = Localized(
        ar: "حقول عُدِّلت في مكانين في الوقت نفسه وتنتظر قرارا.",
        fr: "Champs modifiés à deux endroits en même temps, en attente d’une décision."
    )
    package static let facts = Localized(ar: "بطاقة المقترح", fr: "Fiche de la proposition")
    package static let identifier = Localized(ar: "المعرّف", fr: "Identifiant")
    package static let enteredByFact = Localized(ar: "أدخله", fr: "Saisie par")
}
