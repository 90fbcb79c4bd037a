// The texts of a commune office's pages, Arabic then French.

import Foundation

extension Localized {
    package static let officeName = Localized(
        ar: "مكتب الجماعة · يعمل دون اتصال",
        fr: "Bureau de la commune · fonctionne hors ligne"
    )
    package static let notSetUp = Localized(ar: "غير مهيأ", fr: "Non configuré")
    package static let thisOffice = Localized(ar: "هذا المكتب", fr: "Ce bureau")
    package static let replicaNamed = Localized(ar: "نسخة %@", fr: "Réplique %@")
    package static let proposal = Localized(ar: "مقترح", fr: "Proposition")
    package static let newProposal = Localized(ar: "مقترح جديد", fr: "Nouvelle proposition")
    package static let newProposalHint = Localized(
        ar: "يُحفظ المقترح على هذا الجهاز فورا، ويُرسل إلى الإقليم عند المزامنة المقبلة.",
        fr:
            "La proposition est enregistrée tout de suite sur cette machine et part vers la province à la prochaine synchronisation."
    )
    package static let enteredBy = Localized(ar: "أدخله (اختياري)", fr: "Saisie par (facultatif)")
    package static let saveProposal = Localized(ar: "حفظ المقترح", fr: "Enregistrer la proposition")
    package static let citizenID = Localized(ar: "المعرّف المستعار للمواطن(ة)", fr: "Identifiant pseudonyme du citoyen")
    package static let citizenHint = Localized(
        ar: "معرّف مستعار فقط، وليس اسما أو رقم بطاقة وطنية.",
        fr: "Un identifiant pseudonyme seulement, jamais un nom ni un numéro de CIN."
    )
    package static let addSupport = Localized(ar: "تسجيل الدعم", fr: "Enregistrer le soutien")

    package static let events = Localized(ar: "الأنشطة", fr: "Activités")
    package static let eventsHint = Localized(
        ar: "ورشات، زيارات مدرسية ولقاءات خلية التفكير الشبابية، مع لوائح الحضور.",
        fr: "Ateliers, visites scolaires et réunions du think-tank des jeunes, avec les listes de présence."
    )
    package static let noEvents = Localized(ar: "لا توجد أنشطة بعد.", fr: "Aucune activité pour l’instant.")
    package static let newEvent = Localized(ar: "نشاط جديد", fr: "Nouvelle activité")
    package static let saveEvent = Localized(ar: "حفظ النشاط", fr: "Enregistrer l’activité")
    package static let date = Localized(ar: "التاريخ", fr: "Date")
    package static let kind = Localized(ar: "النوع", fr: "Type")
    package static let venue = Localized(ar: "المكان", fr: "Lieu")
    package static let attendees = Localized(ar: "الحضور", fr: "Présents")
    package static let participantID = Localized(
        ar: "المعرّف المستعار للمشارك(ة)",
        fr: "Identifiant pseudonyme du participant"
    )
    package static let addAttendee = Localized(ar: "تسجيل الحضور", fr: "Enregistrer la présence")
    package static let attendanceHint = Localized(
        ar: "تُستخرج شواهد المشاركة من هذه اللائحة.",
        fr: "Les attestations de participation sont établies à partir de cette liste."
    )

    package static let syncStatus = Localized(ar: "المزامنة", fr: "Synchronisation")
    package static let syncHint = Localized(
        ar: "يعمل هذا المكتب دون اتصال؛ تتبادل المزامنة التغييرات مع الإقليم عند توفر الاتصال.",
        fr:
            "Ce bureau travaille hors ligne ; la synchronisation échange les changements avec la province quand le lien est là."
    )
    package static let pendingChanges = Localized(
        ar: "تغييرات محلية لم تُرسل بعد",
        fr: "Changements locaux pas encore envoyés"
    )
    package static let hub = Localized(ar: "خادم الإقليم", fr: "Serveur de la province")
    package static let lastSync = Localized(ar: "آخر مزامنة", fr: "Dernière synchronisation")
    package static let digestMatched = Localized(
        ar: "تطابق البيانات مع الإقليم عند آخر مزامنة",
        fr: "Données identiques à la province lors de la dernière synchronisation"
    )
    package static let replicaID = Localized(ar: "معرّف هذه النسخة", fr: "Identifiant de cette réplique")
    package static let syncNow = Localized(ar: "زامن الآن", fr: "Synchroniser maintenant")
    package static let syncNowHint = Localized(
        ar: "ترسل التغييرات المحلية وتستقبل تغييرات الجماعات الأخرى والإقليم. يمكن متابعة العمل أثناءها.",
        fr:
            "Envoie les changements locaux et reçoit ceux des autres communes et de la province. Le travail peut continuer pendant ce temps."
    )
    package static let syncedSummary = Localized(
        ar: "أُرسل %1 تغييرا واستُقبل %2.",
        fr: "%1 changement(s) envoyé(s), %2 reçu(s)."
    )
    package static let digestsMatch = Localized(
        ar: "البيانات مطابقة لبيانات الإقليم.",
        fr: "Les données sont identiques à celles de la province."
    )
    package static let digestsDiffer = Localized(
        ar: "وصلت تغييرات أخرى إلى الإقليم في الأثناء؛ أعد المزامنة لاحقا.",
        fr: "D’autres changements sont arrivés à la province entre-temps ; resynchronisez plus tard."
    )
    package static let hubUnreachable = Localized(
        ar: "تعذر الوصول إلى خادم الإقليم.",
        fr: "Le serveur de la province est injoignable."
    )
    package static let hubUnreachableHint = Localized(
        ar: "عملك المحلي محفوظ على هذا الجهاز؛ أعد المحاولة عندما يعود الاتصال.",
        fr: "Votre travail local est enregistré sur cette machine ; réessayez quand le lien revient."
    )
    package static let syncFailed = Localized(ar: "فشلت المزامنة.", fr: "La synchronisation a échoué.")
}
