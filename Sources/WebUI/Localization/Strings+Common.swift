// The texts of the shared pages, Arabic then French.

import Foundation

extension Localized {
    package static let portalName = Localized(
        ar: "بوابة المشاركة المواطنة · إقليم الصويرة",
        fr: "Participation citoyenne · Province d’Essaouira"
    )
    package static let navigation = Localized(ar: "التنقل", fr: "Navigation")
    package static let footer = Localized(
        ar: "إقليم الصويرة · البيانات محفوظة على هذا الجهاز وتتم مزامنتها مع الإقليم",
        fr: "Province d’Essaouira · données gardées sur cette machine et synchronisées avec la province"
    )
    package static let backHome = Localized(ar: "العودة إلى الصفحة الرئيسية", fr: "Retour à l’accueil")
    package static let unitSeconds = Localized(ar: "ث", fr: "s")
    package static let unitMinutes = Localized(ar: "د", fr: "min")
    package static let unitHours = Localized(ar: "س", fr: "h")
    package static let unitDays = Localized(ar: "ي", fr: "j")
    package static let ago = Localized(ar: "منذ %@", fr: "il y a %@")
    package static let yes = Localized(ar: "نعم", fr: "Oui")
    package static let no = Localized(ar: "لا", fr: "Non")
    package static let unknown = Localized(ar: "غير معروف", fr: "Inconnu")
    package static let never = Localized(ar: "أبدا", fr: "Jamais")
    package static let save = Localized(ar: "حفظ", fr: "Enregistrer")
    package static let delete = Localized(ar: "حذف", fr: "Supprimer")
    package static let remove = Localized(ar: "إزالة", fr: "Retirer")
    package static let add = Localized(ar: "إضافة", fr: "Ajouter")
    package static let open = Localized(ar: "فتح", fr: "Ouvrir")

    // MARK: - Errors

    package static let errorForbiddenTitle = Localized(ar: "غير مسموح", fr: "Accès refusé")
    package static let errorForbidden = Localized(
        ar: "حسابك لا يملك صلاحية القيام بهذا الإجراء. اطلب من مسؤول اللوحة تغيير دورك إن لزم الأمر.",
        fr:
            "Votre compte n’a pas le droit de faire cette action. Demandez à un administrateur de changer votre rôle si besoin."
    )
    package static let errorHostTitle = Localized(ar: "عنوان غير معروف", fr: "Adresse inconnue")
    package static let errorHost = Localized(
        ar: "هذا الخادم لا يجيب على هذا الاسم. افتح الصفحات بعنوان هذا الجهاز (مثل http://127.0.0.1:8090)، "
            + "أو أضف الاسم عند تشغيل الخادم بالخيار ‎--allowed-host‎. لم يتغير أي شيء.",
        fr: "Ce serveur ne répond pas à ce nom. Ouvrez les pages à l’adresse de cette machine (comme "
            + "http://127.0.0.1:8090), ou ajoutez le nom au lancement du serveur avec --allowed-host. Rien n’a été modifié."
    )
    package static let errorCrossSiteTitle = Localized(ar: "استمارة من موقع آخر", fr: "Formulaire d’un autre site")
    package static let errorCrossSite = Localized(
        ar:
            "أُرسلت هذه الاستمارة من صفحة موقع آخر، فتم رفضها ولم يتغير أي شيء. افتح الصفحة من هذا الموقع ثم حاول مجددا.",
        fr: "Ce formulaire a été envoyé depuis la page d’un autre site : il est refusé et rien n’a été modifié. "
            + "Ouvrez la page depuis ce site, puis recommencez."
    )
    package static let errorTokenTitle = Localized(ar: "تم رفض الاستمارة", fr: "Formulaire refusé")
    package static let errorToken = Localized(
        ar: "انتهت صلاحية هذه الاستمارة أو لم تُرسل من هذه الصفحة. أعد تحميل الصفحة ثم حاول مجددا.",
        fr: "Ce formulaire a expiré ou ne vient pas de cette page. Rechargez la page et recommencez."
    )
    package static let errorNotFoundTitle = Localized(ar: "غير موجود", fr: "Introuvable")
    package static let errorNotFound = Localized(
        ar: "لا توجد هذه الصفحة أو هذا السجل على هذه النسخة. ربما لم تصل بعد مع المزامنة.",
        fr:
            "Cette page ou cet enregistrement n’existe pas ici. Il n’est peut-être pas encore arrivé par la synchronisation."
    )
    package static let errorInvalidTitle = Localized(ar: "معطيات غير صالحة", fr: "Données invalides")
    package static let errorInvalid = Localized(
        ar: "بعض الحقول ناقصة أو غير صحيحة. عد إلى الصفحة السابقة وصحّحها.",
        fr: "Des champs manquent ou sont incorrects. Revenez à la page précédente pour les corriger."
    )
    package static let errorServerTitle = Localized(ar: "خطأ", fr: "Erreur")
    package static let errorServer = Localized(
        ar: "تعذر إتمام العملية. لم يتم تغيير أي شيء؛ حاول مجددا أو أخبر المسؤول.",
        fr: "L’opération n’a pas abouti. Rien n’a été modifié ; réessayez ou prévenez l’administrateur."
    )
    package static let errorConflictGoneTitle = Localized(ar: "تمت تسوية التعارض", fr: "Conflit déjà résolu")
    package static let errorConflictGone = Localized(
        ar: "لم يعد هذا الحقل في تعارض: ربما سوّاه شخص آخر. راجع المقترح.",
        fr: "Ce champ n’est plus en conflit : quelqu’un l’a peut-être déjà résolu. Revoyez la proposition."
    )
    package static let errorConflictChangedTitle = Localized(ar: "تغيرت القيم", fr: "Les valeurs ont changé")
    package static let errorConflictChanged = Localized(
        ar: "وصلت قيمة جديدة لهذا الحقل منذ فتح الصفحة. أعد فتح المقترح وقارن القيم من جديد.",
        fr:
            "Une nouvelle valeur de ce champ est arrivée depuis l’ouverture de la page. Rouvrez la proposition et comparez à nouveau."
    )

    // MARK: - Notices after an action

    /// The confirmations named by `?done=` after a form.
    package static let notices: [String: Localized] = [
        "answered": Localized(
            ar: "تم حفظ الجواب والحالة. سيصلان إلى الجماعات عند مزامنتها المقبلة.",
            fr: "Réponse et statut enregistrés. Ils parviendront aux communes à leur prochaine synchronisation."
        ),
        "resolved": Localized(
            ar: "تمت تسوية التعارض. ستصل القيمة المحتفظ بها إلى كل النسخ عند مزامنتها المقبلة.",
            fr: "Conflit résolu. La valeur gardée parviendra à chaque réplique à sa prochaine synchronisation."
        ),
        "created": Localized(ar: "تم تسجيل المقترح على هذا الجهاز.", fr: "Proposition enregistrée sur cette machine."),
        "edited": Localized(ar: "تم حفظ التعديلات.", fr: "Modifications enregistrées."),
        "commented": Localized(ar: "تمت إضافة التعليق.", fr: "Commentaire ajouté."),
        "deleted": Localized(
            ar: "تم حذف التعليق؛ يبقى مكانه ظاهرا حتى تبقى الردود في موضعها.",
            fr: "Commentaire supprimé ; sa place reste visible pour garder les réponses."
        ),
        "supported": Localized(ar: "تم تسجيل الدعم.", fr: "Soutien enregistré."),
        "unsupported": Localized(ar: "تم سحب الدعم.", fr: "Soutien retiré."),
        "event": Localized(ar: "تم تسجيل النشاط.", fr: "Activité enregistrée."),
        "attendance": Localized(ar: "تم تحديث لائحة الحضور.", fr: "Liste de présence mise à jour."),
        "synced": Localized(ar: "تمت المزامنة مع الإقليم.", fr: "Synchronisation avec la province effectuée."),
        "user": Localized(ar: "تم حفظ الحساب.", fr: "Compte enregistré."),
        "user-deleted": Localized(ar: "تم حذف الحساب.", fr: "Compte supprimé."),
    ]
}
