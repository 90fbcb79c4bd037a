import WebUI

// The texts of the coordinators' dashboard, Arabic then French.

extension Localized {
    static let dashboardName = Localized(ar: "لوحة قيادة المنسقين الإقليميين", fr: "Tableau de bord des coordinateurs")
    static let hubName = Localized(ar: "الإقليم (الخادم المركزي)", fr: "Province (serveur central)")
    static let signIn = Localized(ar: "تسجيل الدخول", fr: "Connexion")
    static let signInHint = Localized(
        ar: "حساب شخصي يمنحه مسؤول اللوحة. تنتهي الجلسة بعد ثماني ساعات دون نشاط.",
        fr: "Un compte personnel donné par l’administrateur. La session se ferme après huit heures d’inactivité."
    )
    static let signInFailed = Localized(
        ar: "اسم المستخدم أو كلمة المرور غير صحيحة.",
        fr: "Nom d’utilisateur ou mot de passe incorrect."
    )
    static let signInLocked = Localized(
        ar: "محاولات دخول خاطئة كثيرة لهذا الحساب أو من هذا الجهاز. انتظر %@ ثانية ثم حاول مجددا، "
            + "أو اطلب من مسؤول اللوحة تغيير كلمة المرور.",
        fr: "Trop d’essais de connexion manqués pour ce compte ou depuis cette machine. Attendez %@ secondes puis "
            + "recommencez, ou demandez à l’administrateur de changer le mot de passe."
    )
    static let signInBusy = Localized(
        ar: "الخادم مشغول بتسجيلات دخول أخرى. انتظر %@ ثانية ثم حاول مجددا؛ لم يتغير أي شيء.",
        fr: "Le serveur traite d’autres connexions. Attendez %@ secondes puis recommencez ; rien n’a été modifié."
    )
    static let busyTitle = Localized(ar: "الخادم مشغول", fr: "Serveur occupé")
    static let hashingBusy = Localized(
        ar: "الخادم مشغول بتسجيلات دخول أخرى. انتظر بضع ثوان ثم أعد إرسال الاستمارة؛ لم يتغير أي شيء.",
        fr: "Le serveur traite d’autres connexions. Attendez quelques secondes puis renvoyez le formulaire ; "
            + "rien n’a été modifié."
    )
    static let signOut = Localized(ar: "خروج", fr: "Déconnexion")
    static let username = Localized(ar: "اسم المستخدم", fr: "Nom d’utilisateur")
    static let password = Localized(ar: "كلمة المرور", fr: "Mot de passe")
    static let role = Localized(ar: "الدور", fr: "Rôle")
    static let proposalsIntro = Localized(
        ar: "%@ مقترحا من كل الجماعات، كما وصلت إلى الإقليم بعد المزامنة.",
        fr: "%@ propositions de toutes les communes, telles qu’arrivées à la province par la synchronisation."
    )
    static let charts = Localized(ar: "إحصائيات", fr: "Statistiques")
    static let chartsIntro = Localized(
        ar: "صورة مجمعة لمقترحات الإقليم ونشاطه.",
        fr: "Vue d’ensemble des propositions et de l’activité de la province."
    )
    static let perCommuneAndStatus = Localized(
        ar: "المقترحات حسب الجماعة والحالة",
        fr: "Propositions par commune et statut"
    )
    static let activityPerWeek = Localized(ar: "المقترحات الجديدة كل أسبوع", fr: "Nouvelles propositions par semaine")
    static let mostSupported = Localized(ar: "المقترحات الأكثر دعما", fr: "Propositions les plus soutenues")
    static let supportsPerCommune = Localized(ar: "الدعم حسب الجماعة", fr: "Soutiens par commune")
    static let noSupportsYet = Localized(ar: "لم يُسجل أي دعم بعد.", fr: "Aucun soutien enregistré pour l’instant.")
    static let answered = Localized(ar: "مقترحات تم الرد عليها", fr: "Propositions avec réponse")
    static let contested = Localized(ar: "مقترحات بها تعارض", fr: "Propositions en conflit")
    static let downloads = Localized(ar: "التحميلات", fr: "Téléchargements")
    static let downloadsIntro = Localized(
        ar: "البيانات المدمجة لكل الجماعات، للنشر كبيانات مفتوحة.",
        fr: "Les données fusionnées de toutes les communes, pour la publication en données ouvertes."
    )
    static let csvHint = Localized(
        ar: "جدول المقترحات (UTF-8)، دون أسماء من أدخلوها: يُفتح في برنامج جداول.",
        fr: "Tableau des propositions (UTF-8), sans le nom des personnes qui les ont saisies : s’ouvre dans un tableur."
    )
    static let jsonHint = Localized(
        ar: "التصدير المرجعي لكل الجداول. منه تُعاد حساب بصمة بيانات الإقليم.",
        fr: "L’export canonique de toutes les tables ; l’empreinte de la province se recalcule à partir de lui."
    )
    static let replicas = Localized(ar: "النسخ", fr: "Répliques")
    static let replicasIntro = Localized(
        ar: "كل نسخة مسجلة في جماعة: آخر مزامنة، التغييرات التي لم تتوصل بها بعد، ساعتها، وتطابق بياناتها.",
        fr:
            "Chaque réplique inscrite dans une commune : dernière synchronisation, changements qu’elle n’a pas encore reçus, son horloge et la concordance de ses données."
    )
    static let enrolledReplicas = Localized(ar: "نسخ مسجلة", fr: "Répliques inscrites")
    static let replicasBehind = Localized(ar: "نسخ متأخرة", fr: "Répliques en retard")
    static let clocksOff = Localized(ar: "ساعات خارج الحدود (±5 د)", fr: "Horloges hors limites (±5 min)")
    static let hubDigest = Localized(ar: "بصمة بيانات الإقليم", fr: "Empreinte des données de la province")
    static let noReplicas = Localized(
        ar: "لا توجد أي نسخة مسجلة. سجّل نسخة بالأمر hub-server enroll.",
        fr: "Aucune réplique inscrite. Inscrivez-en une avec hub-server enroll."
    )
    static let replica = Localized(ar: "النسخة", fr: "Réplique")
    static let lag = Localized(ar: "تغييرات لم تصلها", fr: "Changements en attente")
    static let clock = Localized(ar: "فرق الساعة", fr: "Décalage d’horloge")
    static let clockWarning = Localized(
        ar: "اضبط تاريخ وساعة هذا الجهاز",
        fr: "Réglez la date et l’heure de cette machine"
    )
    static let digest = Localized(ar: "البصمة", fr: "Empreinte")
    static let matched = Localized(ar: "مطابقة", fr: "Identique")
    static let differs = Localized(ar: "مختلفة", fr: "Différente")
    static let filtered = Localized(ar: "جزئية (مركز إقليمي)", fr: "Partielle (hub provincial)")
    static let revoked = Localized(ar: "ملغاة", fr: "Révoquée")
    static let accounts = Localized(ar: "الحسابات", fr: "Comptes")
    static let accountsIntro = Localized(
        ar: "اطلاع: رؤية كل شيء. رد: الإجابة عن المقترحات وتغيير حالتها وتسوية التعارضات. إدارة: الحسابات والنسخ أيضا.",
        fr:
            "Lecture : tout voir. Réponse : répondre, changer le statut et résoudre les conflits. Administration : aussi les comptes et les répliques."
    )
    static let addAccount = Localized(ar: "إضافة حساب", fr: "Ajouter un compte")
    static let notYourself = Localized(
        ar: "لا يمكنك حذف حسابك أو سحب صلاحية الإدارة منه.",
        fr: "Vous ne pouvez pas supprimer votre propre compte ni lui retirer l’administration."
    )
}
