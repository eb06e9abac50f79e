// The built-in data processing agreement, in each UI language: markdown (headings, paragraphs,
// "- " lists) with {{placeholders}}. The operator may replace it (setting policy.dpa_template).

export const DEFAULT_DPA_TEMPLATES: Record<'ru' | 'kk' | 'en', string> = {
  en: `# Data Processing Agreement

Date: {{date}}

Controller: {{client.name}}, contact e-mail {{client.contact_email}}, phone {{client.phone}}, address {{client.invoice_address}}.
Contact persons: {{client.contact_persons}}.

Processor: the operator of this Habar installation.

## 1. Subject and law
The processor processes personal data on the controller's behalf to connect its messaging accounts to an AI assistant and an inbox, under the Law of the Republic of Kazakhstan No. 94-V ZRK of 21 May 2013 "On Personal Data and Their Protection" and, where the controller serves the European Union, the GDPR (Art. 28).

## 2. Categories of data and purposes
{{categories}}

## 3. Recipients (sub-processors and transfers)
{{recipients}}

## 4. Retention
{{retention}}

## 5. Security
Data is stored on the processor's server; secrets are sealed (AES-256-GCM); access is limited to the controller's members and to the processor's staff under confidentiality, support only under the controller's time-limited grant; every access is audited.

## 6. Data subjects' rights
The processor gives the controller the means to answer requests for access, rectification, erasure, restriction, portability and objection within 30 days.

## 7. Breaches
The processor notifies the controller without undue delay, and the authority within one working day (Kazakhstan) and 72 hours (GDPR) of detection.
`,
  ru: `# Соглашение об обработке персональных данных

Дата: {{date}}

Оператор (контролёр): {{client.name}}, контактная почта {{client.contact_email}}, телефон {{client.phone}}, адрес {{client.invoice_address}}.
Контактные лица: {{client.contact_persons}}.

Обработчик: оператор этой установки Habar.

## 1. Предмет и право
Обработчик обрабатывает персональные данные по поручению контролёра, чтобы подключить его мессенджеры к ИИ-ассистенту и входящим, в соответствии с Законом Республики Казахстан от 21 мая 2013 года № 94-V «О персональных данных и их защите» и, если контролёр работает с Европейским союзом, GDPR (ст. 28).

## 2. Категории данных и цели
{{categories}}

## 3. Получатели (субобработчики и передачи)
{{recipients}}

## 4. Сроки хранения
{{retention}}

## 5. Защита
Данные хранятся на сервере обработчика; секреты зашифрованы (AES-256-GCM); доступ есть только у участников контролёра и у сотрудников обработчика, связанных обязательством конфиденциальности, поддержка — только по ограниченному по времени разрешению контролёра; каждый доступ записывается в журнал аудита.

## 6. Права субъектов
Обработчик даёт контролёру средства ответить на запросы о доступе, исправлении, удалении, ограничении, переносимости и возражении в течение 30 дней.

## 7. Утечки
Обработчик уведомляет контролёра без неоправданной задержки, а уполномоченный орган — в течение одного рабочего дня (Казахстан) и 72 часов (GDPR) с момента обнаружения.
`,
  kk: `# Дербес деректерді өңдеу туралы келісім

Күні: {{date}}

Бақылаушы: {{client.name}}, байланыс поштасы {{client.contact_email}}, телефон {{client.phone}}, мекенжайы {{client.invoice_address}}.
Байланыс тұлғалары: {{client.contact_persons}}.

Өңдеуші: осы Habar қондырғысының операторы.

## 1. Мәні және құқық
Өңдеуші бақылаушының тапсырмасы бойынша оның мессенджерлерін ЖИ-ассистентке және кіріс хаттарға қосу үшін дербес деректерді Қазақстан Республикасының 2013 жылғы 21 мамырдағы № 94-V «Дербес деректер және оларды қорғау туралы» Заңына және, бақылаушы Еуропалық одаққа қызмет көрсетсе, GDPR-ға (28-бап) сәйкес өңдейді.

## 2. Деректер санаттары және мақсаттар
{{categories}}

## 3. Алушылар (қосалқы өңдеушілер және берулер)
{{recipients}}

## 4. Сақтау мерзімдері
{{retention}}

## 5. Қорғау
Деректер өңдеушінің серверінде сақталады; құпиялар шифрланған (AES-256-GCM); қолжетімділік тек бақылаушының қатысушыларында және құпиялылық міндеттемесі бар өңдеуші қызметкерлерінде, қолдау — тек бақылаушының мерзімі шектеулі рұқсатымен; әр қолжетімділік аудит журналына жазылады.

## 6. Субъектілердің құқықтары
Өңдеуші бақылаушыға қолжетімділік, түзету, жою, шектеу, тасымалдау және қарсылық туралы сұрауларға 30 күн ішінде жауап беру құралдарын береді.

## 7. Ақпарат таралуы
Өңдеуші бақылаушыны негізсіз кідіріссіз, ал уәкілетті органды анықталған сәттен бастап бір жұмыс күні (Қазақстан) және 72 сағат (GDPR) ішінде хабардар етеді.
`,
};
