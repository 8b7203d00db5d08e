//! The error-message catalog: one English and one Arabic text per error code.

use super::Lang;
use crate::error::ErrorCode;

/// The human message for an error code in a language.
pub fn error_message(code: ErrorCode, lang: Lang) -> &'static str {
    let (en, ar) = texts(code);
    match lang {
        Lang::En => en,
        Lang::Ar => ar,
    }
}

fn texts(code: ErrorCode) -> (&'static str, &'static str) {
    use ErrorCode::*;
    match code {
        ValidationFailed => ("Some fields are invalid", "بعض الحقول غير صالحة"),
        InvalidJson => (
            "The request body is not valid JSON",
            "نص الطلب ليس JSON صالحًا",
        ),
        UnsupportedMediaType => (
            "Unsupported content type; send application/json",
            "نوع المحتوى غير مدعوم؛ أرسل application/json",
        ),
        InvalidResetToken => (
            "The reset link is invalid or has expired",
            "رابط إعادة التعيين غير صالح أو منتهي الصلاحية",
        ),
        InvalidOtp => (
            "The code is invalid or has expired",
            "الرمز غير صالح أو منتهي الصلاحية",
        ),
        InvalidVerificationToken => (
            "The verification link is invalid or has expired",
            "رابط التحقق غير صالح أو منتهي الصلاحية",
        ),
        UnsupportedImage => (
            "The file is not a supported image (JPEG, PNG, GIF or WebP)",
            "الملف ليس صورة مدعومة (JPEG أو PNG أو GIF أو WebP)",
        ),
        MissingFile => ("No file was uploaded", "لم يتم رفع أي ملف"),
        Unauthorized => ("Authentication required", "يجب تسجيل الدخول"),
        InvalidToken => ("Invalid access token", "رمز الدخول غير صالح"),
        TokenExpired => ("The access token has expired", "انتهت صلاحية رمز الدخول"),
        SessionRevoked => (
            "This session has ended; please sign in again",
            "انتهت هذه الجلسة؛ يرجى تسجيل الدخول مرة أخرى",
        ),
        InvalidCredentials => (
            "Invalid login identifier or password",
            "بيانات الدخول أو كلمة المرور غير صحيحة",
        ),
        InvalidRefreshToken => (
            "Invalid or expired refresh token",
            "رمز التحديث غير صالح أو منتهي الصلاحية",
        ),
        RefreshTokenReused => (
            "This refresh token was already used; the session has been ended for your safety",
            "تم استخدام رمز التحديث هذا من قبل؛ تم إنهاء الجلسة حفاظًا على أمانك",
        ),
        WrongPassword => (
            "The current password is incorrect",
            "كلمة المرور الحالية غير صحيحة",
        ),
        Forbidden => (
            "You are not allowed to do this",
            "غير مسموح لك بتنفيذ هذا الإجراء",
        ),
        WrongLoginType => (
            "This account cannot sign in here",
            "لا يمكن لهذا الحساب تسجيل الدخول من هنا",
        ),
        AccountBanned => ("This account has been banned", "تم حظر هذا الحساب"),
        StaffOnly => ("Only staff can do this", "هذا الإجراء متاح لفريق الإدارة فقط"),
        AdminOnly => (
            "Only administrators can do this",
            "هذا الإجراء متاح للمديرين فقط",
        ),
        CannotTargetSelf => (
            "You cannot do this to your own account",
            "لا يمكنك تنفيذ هذا الإجراء على حسابك",
        ),
        NotFound => ("Resource not found", "المورد غير موجود"),
        UserNotFound => ("User not found", "المستخدم غير موجود"),
        InvalidId => (
            "Resource not found (invalid ID)",
            "المورد غير موجود (معرّف غير صالح)",
        ),
        RouteNotFound => ("API route not found", "مسار الواجهة غير موجود"),
        MethodNotAllowed => (
            "Method not allowed on this route",
            "الطريقة غير مسموحة على هذا المسار",
        ),
        UnknownEvent => ("Unknown event", "حدث غير معروف"),
        InvalidPayload => ("The event's payload is malformed", "بيانات الحدث غير صالحة"),
        RequestTimeout => ("The request took too long", "استغرق الطلب وقتًا طويلًا"),
        EmailTaken => (
            "An account with this email already exists",
            "يوجد حساب بهذا البريد الإلكتروني بالفعل",
        ),
        PhoneTaken => (
            "An account with this phone number already exists",
            "يوجد حساب برقم الهاتف هذا بالفعل",
        ),
        AlreadyBanned => ("The user is already banned", "المستخدم محظور بالفعل"),
        NotBanned => ("The user is not banned", "المستخدم غير محظور"),
        Conflict => (
            "The request conflicts with the current state",
            "يتعارض الطلب مع الحالة الحالية",
        ),
        PayloadTooLarge => ("The request body is too large", "حجم الطلب كبير جدًا"),
        ClientsOnly => ("Only clients can do this", "هذا الإجراء متاح للعملاء فقط"),
        CraftsmenOnly => ("Only craftsmen can do this", "هذا الإجراء متاح للحرفيين فقط"),
        NotAParty => (
            "Only the people on this job can do this",
            "هذا الإجراء متاح لأطراف هذا العمل فقط",
        ),
        JobNotFound => ("Job not found", "العمل غير موجود"),
        QuoteNotFound => ("Quote not found", "عرض السعر غير موجود"),
        InvitationNotFound => ("Invitation not found", "الدعوة غير موجودة"),
        NotificationNotFound => ("Notification not found", "الإشعار غير موجود"),
        InvalidTransition => (
            "The job cannot move to that status from where it is",
            "لا يمكن نقل العمل إلى هذه الحالة من حالته الحالية",
        ),
        JobNotOpen => (
            "The job is no longer open for this",
            "لم يعد العمل متاحًا لهذا الإجراء",
        ),
        JobNotEditable => (
            "The job can only be changed while it is open",
            "لا يمكن تعديل العمل إلا وهو متاح",
        ),
        QuoteExists => (
            "You already have a live quote on this job",
            "لديك عرض سعر قائم على هذا العمل بالفعل",
        ),
        QuoteNotPending => ("The quote is no longer pending", "لم يعد عرض السعر معلقًا"),
        AlreadyInvited => (
            "This craftsman is already invited to this job",
            "تمت دعوة هذا الحرفي إلى هذا العمل بالفعل",
        ),
        InvitationWasRejected => (
            "This craftsman declined an invitation to this job",
            "رفض هذا الحرفي دعوة سابقة إلى هذا العمل",
        ),
        AlreadyResponded => (
            "The invitation was already answered",
            "تم الرد على الدعوة بالفعل",
        ),
        TooManyAttempts => (
            "Too many attempts; request a new code",
            "محاولات كثيرة جدًا؛ اطلب رمزًا جديدًا",
        ),
        RateLimited => (
            "Too many requests; please slow down",
            "طلبات كثيرة جدًا؛ يرجى الانتظار قليلًا",
        ),
        Internal => ("Internal server error", "خطأ داخلي في الخادم"),
        ServiceUnavailable => (
            "The service is temporarily unavailable",
            "الخدمة غير متاحة مؤقتًا",
        ),
        ServiceNotFound => ("Service not found", "الخدمة غير موجودة"),
        SlugTaken => (
            "Another service already uses this slug",
            "هذا المعرّف النصي مستخدم لخدمة أخرى",
        ),
        PortfolioFull => (
            "The portfolio is full (10 images at most); delete one first",
            "معرض الأعمال ممتلئ (10 صور كحد أقصى)؛ احذف صورة أولًا",
        ),
        InsufficientFunds => (
            "The wallet balance is too low for this payment",
            "رصيد المحفظة غير كافٍ لهذه العملية",
        ),
        ContractNotFound => ("Contract not found", "العقد غير موجود"),
        NoContract => ("This job has no contract yet", "لا يوجد عقد لهذه المهمة بعد"),
        EscrowNotFunded => (
            "The escrow must be funded before work starts",
            "يجب تمويل الضمان قبل بدء العمل",
        ),
        EscrowNotFundable => (
            "This contract's escrow cannot be funded now",
            "لا يمكن تمويل ضمان هذا العقد الآن",
        ),
        EscrowEmpty => (
            "There is no money left in this escrow",
            "لا يوجد مال متبقٍ في هذا الضمان",
        ),
        PaymentNotFound => ("Payment not found", "الدفعة غير موجودة"),
        PaymentNotPending => (
            "This payment is already settled",
            "تمت تسوية هذه الدفعة بالفعل",
        ),
        PackageNotFound => ("Credit package not found", "باقة الرصيد غير موجودة"),
        WithdrawalNotFound => ("Withdrawal not found", "طلب السحب غير موجود"),
        WithdrawalNotPending => (
            "This withdrawal has already been handled",
            "تمت معالجة طلب السحب هذا بالفعل",
        ),
        InvalidSignature => (
            "The webhook signature is missing, invalid or too old",
            "توقيع الإشعار مفقود أو غير صالح أو قديم",
        ),
        UnknownGateway => ("Unknown payment gateway", "بوابة دفع غير معروفة"),
        GatewayNotConfigured => (
            "This payment gateway is not configured on this server",
            "بوابة الدفع هذه غير مهيأة على هذا الخادم",
        ),
        MalformedRequest => ("The HTTP request is malformed", "طلب HTTP غير سليم"),
        UriTooLong => ("The request address is too long", "عنوان الطلب طويل جدًا"),
        HeadersTooLarge => (
            "The request headers are too large",
            "ترويسات الطلب كبيرة جدًا",
        ),
        GatewayUnavailable => (
            "This payment gateway is not available on this server",
            "بوابة الدفع هذه غير متاحة على هذا الخادم",
        ),
        GatewayFailed => (
            "The payment gateway did not accept the request; try again later",
            "لم تقبل بوابة الدفع الطلب؛ حاول لاحقًا",
        ),
        IdempotencyKeyReused => (
            "This Idempotency-Key was already used for a different request",
            "استُخدم مفتاح Idempotency-Key هذا لطلب مختلف",
        ),
        IdempotencyInProgress => (
            "A request with this Idempotency-Key is still being processed",
            "ما زال طلب بمفتاح Idempotency-Key هذا قيد المعالجة",
        ),
        FeeDebtLimit => (
            "Unpaid platform fees are above the limit; pay them before quoting",
            "رسوم المنصة غير المدفوعة تجاوزت الحد؛ ادفعها قبل تقديم العروض",
        ),
        NoFeesDue => ("There are no fees to pay", "لا توجد رسوم مستحقة"),
        CurrencyLocked => (
            "The currency cannot change once money has moved",
            "لا يمكن تغيير العملة بعد تحريك الأموال",
        ),
        TipNotAllowed => (
            "Tips can be given once the work is submitted or completed",
            "يمكن إعطاء الإكرامية بعد تسليم العمل أو إكماله",
        ),
        ConversationNotFound => ("Conversation not found", "المحادثة غير موجودة"),
        MessageNotFound => ("Message not found", "الرسالة غير موجودة"),
        AttachmentNotFound => ("Attachment not found", "المرفق غير موجود"),
        UnsupportedFile => (
            "The file is not a supported image (JPEG, PNG, GIF, WebP) or PDF, or is not what it claims to be",
            "الملف ليس صورة مدعومة (JPEG أو PNG أو GIF أو WebP) أو ملف PDF، أو ليس ما يدّعيه",
        ),
        Blocked => (
            "You can no longer send messages in this conversation",
            "لم يعد بإمكانك إرسال رسائل في هذه المحادثة",
        ),
        DmNotAllowed => (
            "Craftsmen can message a client only after the client has written to them or they share a job",
            "لا يمكن للحرفي مراسلة عميل إلا بعد أن يراسله العميل أو أن يجمعهما عمل",
        ),
        NotTheSender => (
            "Only the sender can change this message",
            "يمكن للمرسل فقط تعديل هذه الرسالة",
        ),
        EditWindowClosed => (
            "Messages can be edited for 15 minutes after they are sent",
            "يمكن تعديل الرسائل خلال 15 دقيقة من إرسالها",
        ),
        MessageDeleted => ("This message was deleted", "تم حذف هذه الرسالة"),
        ReviewNotFound => ("Review not found", "التقييم غير موجود"),
        ContractNotCompleted => (
            "Only a completed contract can be reviewed",
            "لا يمكن تقييم إلا عقد مكتمل",
        ),
        ReviewWindowClosed => (
            "The time to review this contract has ended",
            "انتهت مهلة تقييم هذا العقد",
        ),
        AlreadyReviewed => (
            "You have already reviewed this contract",
            "لقد قيّمت هذا العقد من قبل",
        ),
        ReviewNotEditable => (
            "A review can be changed only until the other side has reviewed or the window closes",
            "يمكن تعديل التقييم فقط قبل أن يقيّم الطرف الآخر أو تنتهي المهلة",
        ),
        NotTheReviewee => (
            "Only the person reviewed can reply",
            "يمكن للشخص الذي تم تقييمه فقط الرد",
        ),
        AlreadyReplied => (
            "You have already replied to this review",
            "لقد رددت على هذا التقييم من قبل",
        ),
        ReviewNotRevealed => ("This review is not public yet", "هذا التقييم لم يُنشر بعد"),
        DisputeNotFound => ("Dispute not found", "النزاع غير موجود"),
        DisputeNotAllowed => (
            "A dispute can be opened only on a hired job before completion, one at a time",
            "لا يمكن فتح نزاع إلا على عمل تم التعاقد عليه وقبل اكتماله، ونزاع واحد في كل مرة",
        ),
        DisputeClosed => ("This dispute has already ended", "انتهى هذا النزاع بالفعل"),
        SplitOutOfRange => (
            "The craftsman's share must be between zero and what the escrow holds",
            "يجب أن تكون حصة الحرفي بين الصفر والمبلغ المحجوز في الضمان",
        ),
        NoProposal => (
            "There is no open settlement proposal",
            "لا يوجد عرض تسوية مفتوح",
        ),
        ProposalExpired => (
            "This settlement proposal has lapsed",
            "انتهت صلاحية عرض التسوية هذا",
        ),
        OwnProposal => (
            "The other party must answer your proposal",
            "يجب أن يرد الطرف الآخر على عرضك",
        ),
        NotTheOpener => (
            "Only the party who opened the dispute can withdraw it",
            "يمكن فقط للطرف الذي فتح النزاع سحبه",
        ),
        DisputeFileNotFound => ("File not found", "الملف غير موجود"),
        VerificationPending => (
            "Your documents are already waiting for review",
            "مستنداتك بانتظار المراجعة بالفعل",
        ),
        AlreadyVerified => ("You are already verified", "حسابك موثق بالفعل"),
        ReportNotFound => ("No open report about this", "لا يوجد بلاغ مفتوح عن هذا"),
        OfferingNotFound => ("Offering not found", "الخدمة غير موجودة"),
        OfferingUnavailable => (
            "This offering cannot be booked now",
            "لا يمكن حجز هذه الخدمة الآن",
        ),
        BookingNotFound => ("Booking not found", "الحجز غير موجود"),
        SlotTaken => (
            "That time was just booked; here are the nearest free times",
            "تم حجز هذا الموعد للتو؛ إليك أقرب المواعيد المتاحة",
        ),
        SlotUnavailable => ("That time cannot be booked", "لا يمكن حجز هذا الموعد"),
        BookingNotStarted => ("The booking has not started yet", "لم يبدأ موعد الحجز بعد"),
        NoReschedule => ("No new time was proposed", "لم يُقترح موعد جديد"),
        OwnReschedule => (
            "The other side answers your proposal",
            "يجيب الطرف الآخر على اقتراحك",
        ),
        CannotBookOwn => ("You cannot book your own offering", "لا يمكنك حجز خدمتك"),
        TaskNotFound => ("Task not found", "المهمة غير موجودة"),
        TaskClosed => (
            "This task takes no more submissions",
            "لم تعد هذه المهمة تقبل تسليمات",
        ),
        TaskFull => (
            "Every slot of this task is taken",
            "جميع أماكن هذه المهمة محجوزة",
        ),
        OwnTask => (
            "You cannot work on your own task",
            "لا يمكنك العمل على مهمتك",
        ),
        AlreadySubmitted => (
            "You already submitted to this task",
            "لقد قدّمت تسليمًا لهذه المهمة بالفعل",
        ),
        SubmissionNotFound => ("Submission not found", "التسليم غير موجود"),
        AppealWindowClosed => (
            "The 7 days to appeal have passed",
            "انتهت مهلة الاعتراض (7 أيام)",
        ),
        AppealWithBuyer => (
            "The buyer has 3 days to decide this appeal first",
            "لدى صاحب المهمة 3 أيام للبت في الاعتراض أولًا",
        ),
        NotRateable => (
            "You can rate a buyer once they decided your submission",
            "يمكنك تقييم صاحب المهمة بعد البت في تسليمك",
        ),
        AlreadyRated => (
            "You already rated this buyer for this task",
            "لقد قيّمت صاحب هذه المهمة بالفعل",
        ),
        OutsideServiceArea => (
            "This address is outside the provider's service area",
            "هذا العنوان خارج منطقة خدمة مقدم الخدمة",
        ),
        InvalidCalendarToken => (
            "This calendar link is not valid",
            "رابط التقويم هذا غير صالح",
        ),
        DeviceNotFound => (
            "No such device is registered to your account",
            "لا يوجد جهاز كهذا مسجل في حسابك",
        ),
        DeliveryNotFound => ("Delivery not found", "لم يتم العثور على عملية التسليم"),
        DeliveryNotDead => (
            "Only a delivery that gave up can be retried",
            "لا يمكن إعادة المحاولة إلا لتسليم توقف نهائيًا",
        ),
        ApiKeyNotFound => (
            "API key not found",
            "لم يتم العثور على مفتاح الواجهة البرمجية",
        ),
        InsufficientScope => (
            "This API key's scopes do not allow this request",
            "صلاحيات مفتاح الواجهة البرمجية هذا لا تسمح بهذا الطلب",
        ),
        WebhookNotFound => (
            "Webhook endpoint not found",
            "لم يتم العثور على نقطة استقبال الويب هوك",
        ),
        InvalidUnsubscribeLink => (
            "This unsubscribe link is not valid",
            "رابط إلغاء الاشتراك هذا غير صالح",
        ),
        ConfirmationNotFound => (
            "This confirmation token is not known",
            "رمز التأكيد هذا غير معروف",
        ),
        ConfirmationUsed => (
            "This proposal has already been confirmed",
            "تم تأكيد هذا الاقتراح من قبل",
        ),
        ConfirmationExpired => (
            "This proposal has expired; ask the assistant again",
            "انتهت صلاحية هذا الاقتراح؛ اطلب من المساعد مرة أخرى",
        ),
        AiConversationNotFound => (
            "Conversation not found or expired",
            "المحادثة غير موجودة أو انتهت صلاحيتها",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_both_languages() {
        for code in ErrorCode::ALL {
            assert!(!error_message(*code, Lang::En).is_empty());
            let ar = error_message(*code, Lang::Ar);
            assert!(
                ar.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                "{code:?}"
            );
        }
    }
}
