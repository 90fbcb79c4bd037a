import Foundation
import Hummingbird
import SyncCore
import WebUI

extension DashboardRoutes {
    /// `GET /communes` (admin): the territory, and adding and renaming communes; they reach every
    /// replica with the next syncs, with no new build.
    func addCommuneRoutes(to router: RouterGroup<DashboardContext>) {
        router.get("/communes") { _, context in
            try context.require(.admin)
            return respond(.communes, try communesPage(context), context)
        }
        router.post("/communes") { _, context in
            try context.require(.admin)
            let form = context.web.form
            guard let code = form.text("code"), let province = form.text("province") else {
                throw WebError.invalid("code, province")
            }
            try store.addCommune(Commune(id: code, province: province, names: Self.names(form)))
            return WebResponse.redirect("/communes?done=commune")
        }
        router.post("/communes/:code/rename") { _, context in
            try context.require(.admin)
            let code = try context.parameters.require("code")
            try store.renameCommune(code, names: Self.names(context.web.form))
            return WebResponse.redirect("/communes?done=commune")
        }
    }

    private static func names(_ form: FormData) -> CommuneNames {
        CommuneNames(arabic: form.text("name_ar"), french: form.text("name_fr"), tamazight: form.text("name_zgh"))
    }

    private func communesPage(_ context: DashboardContext) throws -> HTML {
        let page = context.page
        let rows = try store.communes().map { commune -> HTML in
            let names = commune.names
            let rename = page.form(
                "/communes/\(commune.id)/rename",
                class: "row",
                """
                <input name="name_ar" value="\(names.arabic ?? "")" dir="rtl" lang="ar" aria-label="\(page(.nameArabic))">\
                <input name="name_fr" value="\(names.french ?? "")" dir="ltr" lang="fr" aria-label="\(page(.nameFrench))">\
                <input name="name_zgh" value="\(names.tamazight ?? "")" dir="ltr" lang="zgh" aria-label="\(page(.nameTamazight))">\
                <button type="submit" class="button small">\(page(.rename))</button>
                """
            )
            return """
                <tr><td data-label="\(page(.communeCode))"><code>\(commune.id)</code></td>\
                <td data-label="\(page(.province))"><code>\(commune.province)</code></td>\
                <td data-label="\(page(.names))">\(rename)</td></tr>
                """
        }
        let fields: HTML = """
            <div class="row"><label>\(page(.communeCode))<input name="code" required pattern="[a-z0-9][a-z0-9\\-]{0,62}[a-z0-9]" dir="ltr"></label>
            <label>\(page(.province))<input name="province" required value="\(Territory.seedProvince)" dir="ltr"></label></div>
            <div class="row"><label>\(page(.nameArabic))<input name="name_ar" dir="rtl" lang="ar"></label>
            <label>\(page(.nameFrench))<input name="name_fr" dir="ltr" lang="fr"></label>
            <label>\(page(.nameTamazight))<input name="name_zgh" dir="ltr" lang="zgh"></label></div>
            <div><button type="submit" class="button primary">\(page(.addCommune))</button></div>
            """
        return """
            \(Layout.heading(page(.communes), subtitle: HTML(text: page(.communesIntro))))
            <section class="card flush"><table class="list"><thead><tr><th>\(page(.communeCode))</th>\
            <th>\(page(.province))</th><th>\(page(.names))</th></tr></thead><tbody>\(rows)</tbody></table></section>
            <section class="card"><h2>\(page(.addCommune))</h2>\(page.form("/communes", fields))</section>
            """
    }
}

// The texts of the territory page, Arabic then French.
extension Localized {
    static let communes = Localized(ar: "الجماعات", fr: "Communes")
    static let communesIntro = Localized(
        ar: "الجماعات وأقاليمها سجلات تصل إلى كل النسخ عند المزامنة التالية، دون إصدار جديد للبرنامج.",
        fr:
            "Les communes et leur province sont des données : elles parviennent à chaque réplique à la prochaine synchronisation, sans nouvelle version du programme."
    )
    static let communeCode = Localized(ar: "الرمز", fr: "Code")
    static let province = Localized(ar: "الإقليم", fr: "Province")
    static let names = Localized(ar: "الأسماء (العربية، الفرنسية، الأمازيغية)", fr: "Noms (arabe, français, tamazight)")
    static let nameArabic = Localized(ar: "الاسم بالعربية", fr: "Nom en arabe")
    static let nameFrench = Localized(ar: "الاسم بالفرنسية", fr: "Nom en français")
    static let nameTamazight = Localized(ar: "الاسم بالأمازيغية (تيفيناغ)", fr: "Nom en tamazight (tifinagh)")
    static let rename = Localized(ar: "إعادة التسمية", fr: "Renommer")
    static let addCommune = Localized(ar: "إضافة جماعة", fr: "Ajouter une commune")
}
