import type { Catalog } from './translator.ts';

// The public customer-side chat page of a sandbox channel.
export const customerChat: Catalog = {
  en: {
    'chat.title': 'Chat with {name}',
    'chat.intro': 'This is a test chat (sandbox). Write as a customer would; the answers appear here.',
    'chat.empty': 'No messages yet. Say hello!',
    'chat.placeholder': 'Your message',
    'chat.send': 'Send',
    'chat.you': 'You',
    'chat.them': '{name}',
    'chat.error.empty': 'Write a message first',
    'chat.error.too_long': 'This message has {count} characters; at most {n} fit in one message. Shorten it or send it in parts: nothing was cut.',
    'chat.error.rate': 'Too many messages. Wait a minute and try again.',
    'chat.attachment': 'Attachment: {name}',
  },
  ru: {
    'chat.title': 'Чат с {name}',
    'chat.intro': 'Это тестовый чат (песочница). Пишите как клиент; ответы появятся здесь.',
    'chat.empty': 'Сообщений пока нет. Поздоровайтесь!',
    'chat.placeholder': 'Ваше сообщение',
    'chat.send': 'Отправить',
    'chat.you': 'Вы',
    'chat.them': '{name}',
    'chat.error.empty': 'Сначала напишите сообщение',
    'chat.error.too_long': 'В сообщении {count} символов, а в одно помещается не более {n}. Сократите его или отправьте частями — текст не обрезан.',
    'chat.error.rate': 'Слишком много сообщений. Подождите минуту и попробуйте снова.',
    'chat.attachment': 'Вложение: {name}',
  },
  kk: {
    'chat.title': '{name} чаты',
    'chat.intro': 'Бұл сынақ чаты (құмсалғыш). Клиент ретінде жазыңыз; жауаптар осында көрінеді.',
    'chat.empty': 'Әзірге хабарлама жоқ. Сәлемдесіңіз!',
    'chat.placeholder': 'Хабарламаңыз',
    'chat.send': 'Жіберу',
    'chat.you': 'Сіз',
    'chat.them': '{name}',
    'chat.error.empty': 'Алдымен хабарлама жазыңыз',
    'chat.error.too_long': 'Хабарламада {count} таңба, ал біреуіне {n} таңбадан аспайды. Қысқартыңыз немесе бөліп жіберіңіз — мәтін қысқартылмады.',
    'chat.error.rate': 'Хабарлама тым көп. Бір минут күтіп, қайталаңыз.',
    'chat.attachment': 'Тіркеме: {name}',
  },
};
